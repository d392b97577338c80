package dev.hfr.compile.internal;

import java.net.URI;

/** Lenient URL parsing: authors write URLs browsers accept but java.net.URI rejects (e.g. "|" in Google Fonts v1). */
public final class Urls {
    private Urls() {
    }

    /** Parses a URL, percent-encoding the characters browsers tolerate and URI refuses. */
    public static URI parse(String url) {
        StringBuilder sb = new StringBuilder();
        for (char c : url.trim().toCharArray()) {
            if (c == ' ' || c == '|' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`'
                    || c == '{' || c == '}' || c < 0x20 || c > 0x7e) {
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    sb.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                sb.append(c);
            }
        }
        return URI.create(sb.toString());
    }
}
