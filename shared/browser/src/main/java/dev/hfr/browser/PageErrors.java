package dev.hfr.browser;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Uncaught page exceptions (Runtime.exceptionThrown) kept as "message (file:line:column)", the file relative to
 * the site root, so an error that a timeout would hide is named in the timeout's message.
 */
final class PageErrors {
    private static final int MAX_KEPT = 20;
    private static final int MAX_REPORTED = 3;

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final String entryPath;
    private final UnaryOperator<String> sitePath;

    /** {@code sitePath} maps a script URL to its path in the site (or leaves a foreign URL as it is). */
    PageErrors(String entryPath, UnaryOperator<String> sitePath) {
        this.entryPath = entryPath;
        this.sitePath = sitePath;
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** A reload runs the page's scripts again: each error is reported once. */
    void clear() {
        errors.clear();
    }

    void record(JsonObject details) {
        if (details == null || errors.size() >= MAX_KEPT) {
            return;
        }
        JsonObject exception = details.has("exception") ? details.getAsJsonObject("exception") : null;
        String text = exception != null && exception.has("description")
                ? CompositionPage.firstLine(exception.get("description").getAsString())
                : details.has("text") ? details.get("text").getAsString() : "uncaught exception";
        String where = details.has("url") ? sitePath.apply(details.get("url").getAsString()) : entryPath;
        int line = details.has("lineNumber") ? details.get("lineNumber").getAsInt() + 1 : 0;
        int column = details.has("columnNumber") ? details.get("columnNumber").getAsInt() + 1 : 0;
        errors.add(text + " (" + (where.isEmpty() ? entryPath : where) + ":" + line + ":" + column + ")");
    }

    /** "; the page threw: TypeError: x is not a function (index.html:12:5)", or "" when no script threw. */
    String suffix() {
        List<String> all = List.copyOf(errors);
        if (all.isEmpty()) {
            return "";
        }
        String more = all.size() > MAX_REPORTED ? "; and " + (all.size() - MAX_REPORTED) + " more" : "";
        return "; the page threw: " + String.join("; ", all.subList(0, Math.min(all.size(), MAX_REPORTED))) + more;
    }
}
