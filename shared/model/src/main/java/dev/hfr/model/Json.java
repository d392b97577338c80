package dev.hfr.model;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON the one way hfr reads and writes it: Micronaut Serde over {@code @Serdeable} records (and plain maps,
 * lists, strings, numbers and booleans where the shape is the user's, e.g. composition variables). The only
 * other JSON writer is {@link CanonicalJson}, whose output the plan hash covers and so must never depend on
 * a serializer's settings.
 */
public final class Json {
    private Json() {
    }

    /** The shared mapper, built on first use (building it scans the Serde introspections once). */
    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = ObjectMapper.getDefault();
    }

    public static String write(Object value) {
        try {
            return mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + (value == null ? "null" : value.getClass().getSimpleName())
                    + " as JSON: " + e.getMessage(), e);
        }
    }

    public static byte[] bytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@link #write(Object)} made safe inside an HTML {@code <script>} element: {@code < > &} and the JS line
     * separators U+2028/U+2029 become {@code \\uXXXX} escapes (they only occur inside JSON strings, where the
     * escape means the same character), so {@code </script>} in a value cannot end the element.
     */
    public static String writeForScript(Object value) {
        // a string or an empty object needs no mapper: the compile writes these for every script it wraps, and
        // building the mapper cold (Serde's bean context) would put 0.6-0.9 s on a short render's critical path
        String json = value instanceof String s ? CanonicalJson.write(s)
                : value instanceof java.util.Map<?, ?> m && m.isEmpty() ? "{}" : write(value);
        StringBuilder sb = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Reads JSON into {@code type}; an unreadable text, or the literal {@code null}, is a RenderException with
     * {@code code} whose message names {@code what} and the expected type.
     */
    public static <T> T read(String json, Class<T> type, ErrorCode code, String what) {
        T v;
        try {
            v = mapper().readValue(json, Argument.of(type));
        } catch (IOException | RuntimeException e) {
            throw new RenderException(code, "cannot read " + what + " as " + describe(type) + ": " + e.getMessage(), e);
        }
        if (v == null) {
            throw new RenderException(code, what + " is empty: expected " + describe(type));
        }
        return v;
    }

    public static <T> T read(byte[] json, Class<T> type, ErrorCode code, String what) {
        return read(new String(json, StandardCharsets.UTF_8), type, code, what);
    }

    /**
     * Parses any JSON value into Map (insertion-ordered), List, String, Number, Boolean or null.
     *
     * @throws IllegalArgumentException with the parser's reason when the text is not JSON
     */
    public static Object tree(String json) {
        try {
            return mapper().readValue(json, Argument.OBJECT_ARGUMENT);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String describe(Class<?> type) {
        return type == Object.class ? "a JSON value" : "a " + type.getSimpleName();
    }
}
