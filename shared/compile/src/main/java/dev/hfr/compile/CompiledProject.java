package dev.hfr.compile;

import java.nio.file.Path;
import java.util.List;

/**
 * A compiled project directory, ready to be served to the browser.
 *
 * @param root the output directory
 * @param entryPath the page to open, relative to root: always {@code index.html}
 * @param warnings things that did not stop the compile (missing media with allowMissingMedia, unknown variables)
 * @param resolvedUrls every remote URL replaced by a local copy, in first-seen order
 */
public record CompiledProject(Path root, String entryPath, List<String> warnings, List<String> resolvedUrls) {
    public CompiledProject {
        warnings = List.copyOf(warnings);
        resolvedUrls = List.copyOf(resolvedUrls);
    }
}
