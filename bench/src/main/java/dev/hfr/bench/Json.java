package dev.hfr.bench;

import java.util.Locale;
import java.util.Map;

/** Minimal JSON writer for maps, lists, strings, numbers and booleans (the bench output only). */
final class Json {
    private Json() {
    }

    static String object(Map<String, ?> map) {
        StringBuilder b = new StringBuilder();
        write(b, map);
        return b.toString();
    }

    static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    string(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case Iterable<?> list -> {
                b.append('[');
                boolean first = true;
                for (Object o : list) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(b, o);
                }
                b.append(']');
            }
            case Double d -> b.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%s", d));
            case Number n -> b.append(n);
            case Boolean bool -> b.append(bool);
            default -> string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
