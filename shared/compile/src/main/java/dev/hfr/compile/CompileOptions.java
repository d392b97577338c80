package dev.hfr.compile;

import dev.hfr.model.RenderConfig;
import java.util.Map;

/**
 * What {@link ProjectCompiler#compile} needs besides the project.
 *
 * @param entryFile entry HTML relative to the project root; null or blank means {@code index.html}
 * @param variables render-time variable overrides (strings, numbers, booleans, lists, maps); null means none
 * @param allowMissingMedia when true an unresolvable img/video/audio becomes a warning instead of an error
 * @param fontPolicy {@code "strict"} (HyperFrames' deterministic font mapping, the default) or
 *     {@code "system"} (font families left to the machine's fontconfig); null means strict
 * @param failClosedFonts with the strict policy, whether a family that resolves to no font file fails
 *     the compile (FONT_FETCH_FAILED, the default) or only warns
 */
public record CompileOptions(String entryFile, Map<String, Object> variables, boolean allowMissingMedia,
                             String fontPolicy, boolean failClosedFonts) {
    public static final String DEFAULT_ENTRY = "index.html";
    public static final String FONTS_STRICT = "strict";
    public static final String FONTS_SYSTEM = "system";

    public CompileOptions {
        entryFile = entryFile == null || entryFile.isBlank() ? DEFAULT_ENTRY : entryFile;
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        fontPolicy = fontPolicy == null || fontPolicy.isBlank() ? FONTS_STRICT : fontPolicy;
    }

    /** Strict fonts, failing closed: what HyperFrames' distributed renders do. */
    public CompileOptions(String entryFile, Map<String, Object> variables, boolean allowMissingMedia) {
        this(entryFile, variables, allowMissingMedia, FONTS_STRICT, true);
    }

    /** The options a render config asks for (entry file, variables, missing media, font policy). */
    public static CompileOptions of(RenderConfig c) {
        return new CompileOptions(c.entryFile(), c.variables(), Boolean.TRUE.equals(c.allowMissingMedia()),
                c.fontPolicy(), !Boolean.FALSE.equals(c.failClosedFontFetch()));
    }

    public static CompileOptions defaults() {
        return new CompileOptions(DEFAULT_ENTRY, Map.of(), false);
    }

    /** Whether the compile maps font families to canonical web fonts. */
    public boolean mapsFonts() {
        return !FONTS_SYSTEM.equals(fontPolicy);
    }
}
