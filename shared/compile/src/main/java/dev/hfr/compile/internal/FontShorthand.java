package dev.hfr.compile.internal;

import java.util.regex.Pattern;

/**
 * Where the family list of a CSS {@code font} shorthand starts: after the size and its optional
 * {@code / line-height} ({@code italic 700 48px/1.2 "Helvetica Neue", Arial} -> the index of the quote).
 */
public final class FontShorthand {
    private static final Pattern SIZE = Pattern.compile(
            "(?i)(?:[+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:px|em|rem|ex|rex|ch|rch|cap|ic|lh|rlh|pt|pc|cm|mm|in|q|%"
                    + "|vw|vh|vi|vb|vmin|vmax|svw|svh|lvw|lvh|dvw|dvh|cqw|cqh|cqi|cqb|cqmin|cqmax)"
                    + "|xx-small|x-small|small|medium|large|x-large|xx-large|xxx-large|larger|smaller"
                    + "|(?:calc|clamp|min|max)\\(.*\\))");

    private FontShorthand() {
    }

    /**
     * Index in {@code value} where the family list begins, or -1 when there is none to read: a system font
     * keyword ({@code caption}), a CSS-wide keyword, a var() before the families (its expansion decides), or
     * no size.
     */
    public static int familyStart(String value) {
        int i = 0;
        int n = value.length();
        boolean afterSize = false;
        boolean wantLineHeight = false;
        while (i < n) {
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return -1;
            }
            int start = i;
            char c = value.charAt(i);
            if (c == '"' || c == '\'') {
                return afterSize && !wantLineHeight ? start : -1;
            }
            int depth = 0;
            while (i < n && (depth > 0 || !Character.isWhitespace(value.charAt(i)))) {
                char ch = value.charAt(i);
                if (ch == '(') {
                    depth++;
                } else if (ch == ')') {
                    depth--;
                }
                i++;
            }
            String token = value.substring(start, i);
            if (afterSize) {
                if (wantLineHeight) {
                    wantLineHeight = token.equals("/");
                    continue;
                }
                if (token.startsWith("/")) {
                    wantLineHeight = token.equals("/");
                    continue;
                }
                return start;
            }
            if (token.toLowerCase(java.util.Locale.ROOT).startsWith("var(")) {
                return -1;
            }
            int slash = token.indexOf('/');
            String size = slash < 0 ? token : token.substring(0, slash);
            if (SIZE.matcher(size).matches()) {
                afterSize = true;
                wantLineHeight = slash == token.length() - 1;
            }
        }
        return -1;
    }
}
