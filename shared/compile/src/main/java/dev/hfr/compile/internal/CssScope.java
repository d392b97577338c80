package dev.hfr.compile.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scopes a sub-composition's stylesheet to its host, as HyperFrames' compiler does (its {@code scopeSelector}):
 * <ul>
 * <li>a selector of the composition's own box alone ({@code [data-composition-id="id"]}, also with {@code ^=},
 * {@code *=}, {@code $=}), and bare {@code html}, {@code body} and {@code :root}, become that box: the host's
 * flattened template root ({@code data-hf-inner-root}) when it has one, else the host, never both (a
 * {@code padding-top} on the root must count once);</li>
 * <li>a selector that names the composition inside a compound keeps it, as the host's scope;</li>
 * <li>{@code #authoredRootId}, the id the template root had before the compiler moved it to {@code
 * data-hf-authored-id}, names that attribute;</li>
 * <li>every other top-level selector, one naming another composition too, gets the host's scope in front;
 * {@code *} and rules inside {@code @keyframes}/{@code @font-face} stay as written.</li>
 * </ul>
 * Grouping at-rules ({@code @media}, {@code @supports}, {@code @container}, {@code @layer}) are scoped inside;
 * declarations and nested rules are never touched.
 */
public final class CssScope {
    private static final Set<String> GROUPING = Set.of("media", "supports", "container", "layer", "document");
    private static final String INNER_ROOT = "[data-hf-inner-root]";
    private static final String TIMING = "\\s*\\[\\s*data-(?:start|duration)\\s*=\\s*(?:\"[^\"]*\"|'[^']*')\\s*\\]";

    private CssScope() {
    }

    public static String scope(String css, String compositionId) {
        return scope(css, compositionId, null);
    }

    /** {@code authoredRootId}: the id the template's root had (now its data-hf-authored-id), or null. */
    public static String scope(String css, String compositionId, String authoredRootId) {
        Selectors sel = new Selectors(compositionId, authoredRootId == null || authoredRootId.isBlank() ? null
                : authoredRootId.trim());
        StringBuilder out = new StringBuilder(css.length() + 64);
        scopeBlock(css, 0, css.length(), sel, out);
        return out.toString();
    }

    /** What a selector of one composition is rewritten with; timed: its id with data-start/-duration attributes. */
    private record Selectors(String scope, Pattern ownId, List<Pattern> timed, String authoredRootId) {
        Selectors(String compositionId, String authoredRootId) {
            this(attr("data-composition-id", compositionId), ownId(compositionId), timed(compositionId), authoredRootId);
        }

        private static Pattern ownId(String id) {
            return Pattern.compile("\\[\\s*data-composition-id\\s*[\\^*$]?=\\s*([\"'])" + Pattern.quote(id) + "\\1\\s*\\]");
        }

        private static List<Pattern> timed(String id) {
            String own = "\\[\\s*data-composition-id\\s*=\\s*(?:\"" + Pattern.quote(id) + "\"|'" + Pattern.quote(id) + "')\\s*\\]";
            return List.of(Pattern.compile(own + "(?:" + TIMING + ")+"), Pattern.compile("(?:" + TIMING + ")+" + own));
        }

        String box() {
            return scope + ":not(:has(" + INNER_ROOT + ")), " + scope + " > " + INNER_ROOT;
        }
    }

    private static String attr(String name, String value) {
        return "[" + name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    private static void scopeBlock(String css, int from, int to, Selectors scope, StringBuilder out) {
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

    static String scopeSelectors(String prelude, Selectors scope) {
        List<String> parts = splitTopLevel(prelude);
        List<String> scoped = new ArrayList<>(parts.size());
        for (String part : parts) {
            scoped.add(scopeSelector(part, scope));
        }
        return String.join(",", scoped);
    }

    private static String scopeSelector(String part, Selectors scope) {
        String sel = part;
        if (scope.authoredRootId() != null) {
            sel = replaceIdToken(sel, scope.authoredRootId(), attr("data-hf-authored-id", scope.authoredRootId()));
        }
        for (Pattern timed : scope.timed()) {
            sel = timed.matcher(sel).replaceAll(Matcher.quoteReplacement(scope.scope()));
        }
        String trimmed = sel.strip();
        if (trimmed.isEmpty() || trimmed.equals("*")) {
            return part;
        }
        int at = sel.indexOf(trimmed);
        String lead = sel.substring(0, at);
        String trail = sel.substring(at + trimmed.length());
        if (trimmed.matches("(?i)html|body|:root")) {
            return lead + scope.box() + trail;
        }
        Matcher own = scope.ownId().matcher(trimmed);
        if (own.find()) {
            if (own.replaceAll("").isBlank()) {
                return lead + scope.box() + trail;
            }
            return lead + own.replaceAll(Matcher.quoteReplacement(scope.scope())) + trail;
        }
        return lead + scope.scope() + " " + trimmed + trail;
    }

    /** {@code #id} tokens of {@code sel} (outside strings and attribute brackets) replaced by {@code with}. */
    static String replaceIdToken(String sel, String id, String with) {
        if (sel.indexOf('#') < 0) {
            return sel;
        }
        StringBuilder out = new StringBuilder(sel.length() + 32);
        int i = 0;
        while (i < sel.length()) {
            char c = sel.charAt(i);
            if (c == '"' || c == '\'') {
                int end = skipString(sel, i, sel.length());
                out.append(sel, i, end + 1);
                i = end + 1;
            } else if (c == '[') {
                int end = sel.indexOf(']', i);
                end = end < 0 ? sel.length() - 1 : end;
                out.append(sel, i, end + 1);
                i = end + 1;
            } else if (c == '#') {
                int end = i + 1;
                while (end < sel.length() && isNameChar(sel.charAt(end))) {
                    end += sel.charAt(end) == '\\' && end + 1 < sel.length() ? 2 : 1;
                }
                String token = sel.substring(i + 1, end);
                out.append(token.equals(id) || unescape(token).equals(id) ? with : sel.substring(i, end));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '\\' || c >= 0x80;
    }

    private static String unescape(String token) {
        return token.indexOf('\\') < 0 ? token : token.replaceAll("\\\\(.)", "$1");
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
