package dev.hfr.sqs.internal;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Micronaut Serde in one place; bad input becomes INVALID_EVENT naming what was being read. */
public final class Json {
    private static final ObjectMapper MAPPER = ObjectMapper.getDefault();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "cannot serialise " + value.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    public static byte[] bytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    public static <T> T read(String json, Class<T> type, String what) {
        try {
            T v = MAPPER.readValue(json, type);
            if (v == null) {
                throw new RenderException(ErrorCode.INVALID_EVENT, what + " is empty: expected a " + type.getSimpleName());
            }
            return v;
        } catch (IOException | RuntimeException e) {
            if (e instanceof RenderException re) {
                throw re;
            }
            throw new RenderException(ErrorCode.INVALID_EVENT, "cannot read " + what + " as " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type, String what) {
        return read(new String(json, StandardCharsets.UTF_8), type, what);
    }
}
