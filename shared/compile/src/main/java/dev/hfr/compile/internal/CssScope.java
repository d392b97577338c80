package dev.hfr.compile.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scopes a sub-composition's stylesheet to its host, as HyperFrames does: every top-level selector gets
 * the host's {@code [data-composition-id="id"]} in front, bare {@code html}, {@code body} and {@code :root}
 * become the host itself, and selectors that already name a composition, the universal selector, and
 * rules inside {@code @keyframes}/{@code @font-face} stay as written. Grouping at-rules ({@code @media},
 * {@code @supports}, {@code @container}, {@code @layer}) are scoped inside; declarations and nested rules
 * are never touched.
 */
public final class CssScope {
    private static final Set<String> GROUPING = Set.of("media", "supports", "container", "layer", "document");

    private CssScope() {
    }

    public static String scope(String css, String compositionId) {
        String s = "[data-composition-id=\"" + compositionId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        StringBuilder out = new StringBuilder(css.length() + 64);
        scopeBlock(css, 0, css.length(), s, out);
        return out.toString();
    }

    private static void scopeBlock(String css, int from, int to, String scope, StringBuilder out) {
        int i = from;
        while (i < to) {
            int start = i;
            int end = skipTo(css, i, to, "{;}");
            if (end >= to) {
                out.append(css, start, to);
                return;
            }
            char c = css.charAt(end);
            String prelude = css.substring(start, end);
            if (c == ';' || c == '}') {
                out.append(css, start, end + 1);
                i = end + 1;
                continue;
            }
            int close = matchingBrace(css, end, to);
            String trimmed = prelude.trim();
            if (trimmed.startsWith("@")) {
                String name = trimmed.substring(1).split("[\\s({]", 2)[0].toLowerCase(Locale.ROOT);
                out.append(prelude).append('{');
                if (GROUPING.contains(name)) {
                    scopeBlock(css, end + 1, close, scope, out);
                } else {
                    out.append(css, end + 1, close);
                }
            } else {
                out.append(scopeSelectors(prelude, scope)).append('{').append(css, end + 1, close);
            }
            if (close < to) {
                out.append('}');
            }
            i = close + 1;
        }
    }

    static String scopeSelectors(String prelude, String scope) {
        List<String> parts = splitTopLevel(prelude);
        List<String> scoped = new ArrayList<>(parts.size());
        for (String part : parts) {
            String sel = part.strip();
            if (sel.isEmpty()) {
                scoped.add(part);
                continue;
            }
            int at = part.indexOf(sel);
            String lead = part.substring(0, at);
            String trail = part.substring(at + sel.length());
            if (sel.equals("*") || sel.contains("data-composition-id")) {
                scoped.add(part);
            } else if (sel.matches("(?i)html|body|:root")) {
                scoped.add(lead + scope + trail);
            } else {
                scoped.add(lead + scope + " " + sel + trail);
            }
        }
        return String.join(",", scoped);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int last = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                i = skipString(s, i, s.length());
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(last, i));
                last = i + 1;
            }
        }
        parts.add(s.substring(last));
        return parts;
    }

    /** Index of the first of {@code stops} outside strings and comments, or {@code to}. */
    private static int skipTo(String css, int i, int to, String stops) {
        while (i < to) {
            char c = css.charAt(i);
            if (c == '"' || c == '\'') {
                i = skipString(css, i, to) + 1;
            } else if (c == '/' && i + 1 < to && css.charAt(i + 1) == '*') {
                int e = css.indexOf("*/", i + 2);
                i = e < 0 || e + 2 > to ? to : e + 2;
            } else if (stops.indexOf(c) >= 0) {
                return i;
            } else {
                i++;
            }
        }
        return to;
    }

    /** Index of the brace closing the one at {@code open}, or {@code to} when unbalanced. */
    private static int matchingBrace(String css, int open, int to) {
        int depth = 0;
        int i = open;
        while (i < to) {
            int next = skipTo(css, i, to, "{}");
            if (next >= to) {
                return to;
            }
            depth += css.charAt(next) == '{' ? 1 : -1;
            if (depth == 0) {
                return next;
            }
            i = next + 1;
        }
        return to;
    }

    private static int skipString(String s, int i, int to) {
        char q = s.charAt(i);
        for (int j = i + 1; j < to; j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == q) {
                return j;
            }
        }
        return to - 1;
    }
}
