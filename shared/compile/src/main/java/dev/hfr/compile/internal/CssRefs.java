package dev.hfr.compile.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds and rewrites the URLs in CSS text: {@code @import "x"}, {@code @import url(x)} and {@code url(x)}. */
public final class CssRefs {
    /** What to do with one reference: return the replacement URL, or null to keep it. */
    @FunctionalInterface
    public interface Rewriter {
        String rewrite(String url, boolean isImport);
    }

    // Group 1/2: @import "x" (quoted form); group 3/4: url(x) with optional quotes. Comments are
    // skipped first (group 5) so commented-out references are neither fetched nor required.
    private static final Pattern REF = Pattern.compile(
            "@import\\s+(['\"])(.*?)\\1|url\\(\\s*(['\"]?)(.*?)\\3\\s*\\)|(/\\*.*?\\*/)", Pattern.DOTALL);
    private static final Pattern IMPORT_BEFORE = Pattern.compile("@import\\s*$");

    private CssRefs() {
    }

    public static String rewrite(String css, Rewriter rewriter) {
        Matcher m = REF.matcher(css);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(5) != null) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String replacement;
            if (m.group(2) != null) {
                String next = rewriter.rewrite(m.group(2), true);
                replacement = next == null ? m.group() : "@import " + m.group(1) + next + m.group(1);
            } else {
                String url = m.group(4).trim();
                boolean isImport = IMPORT_BEFORE.matcher(css.substring(Math.max(0, m.start() - 20), m.start())).find();
                String next = rewriter.rewrite(url, isImport);
                String quote = m.group(3).isEmpty() ? "\"" : m.group(3);
                replacement = next == null ? m.group() : "url(" + quote + next + quote + ")";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Every referenced URL, in order, with whether it is an import. */
    public static List<String[]> list(String css) {
        List<String[]> refs = new ArrayList<>();
        rewrite(css, (url, isImport) -> {
            refs.add(new String[] {url, Boolean.toString(isImport)});
            return null;
        });
        return refs;
    }
}
