package dev.hfr.compile;

import java.util.Map;

/**
 * What {@link ProjectCompiler#compile} needs besides the project.
 *
 * @param entryFile entry HTML relative to the project root; null or blank means {@code index.html}
 * @param variables render-time variable overrides (strings, numbers, booleans, lists, maps); null means none
 * @param allowMissingMedia when true an unresolvable img/video/audio becomes a warning instead of an error
 */
public record CompileOptions(String entryFile, Map<String, Object> variables, boolean allowMissingMedia) {
    public static final String DEFAULT_ENTRY = "index.html";

    public CompileOptions {
        entryFile = entryFile == null || entryFile.isBlank() ? DEFAULT_ENTRY : entryFile;
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    public static CompileOptions defaults() {
        return new CompileOptions(DEFAULT_ENTRY, Map.of(), false);
    }
}
