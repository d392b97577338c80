package dev.hfr.browser;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.util.Locale;

/**
 * Frames must come out the same on every worker, which hardware GL does not guarantee: the browser
 * must rasterise WebGL with SwiftShader (or have no WebGL at all).
 */
public final class GpuCheck {
    private GpuCheck() {
    }

    /** True when the WebGL UNMASKED_RENDERER string is SwiftShader, or WebGL is unavailable (null/blank). */
    public static boolean isSoftware(String unmaskedRenderer) {
        if (unmaskedRenderer == null || unmaskedRenderer.isBlank()) {
            return true;
        }
        return unmaskedRenderer.toLowerCase(Locale.ROOT).contains("swiftshader");
    }

    /** Throws BROWSER_GPU_NOT_SOFTWARE when {@link #isSoftware} is false. */
    public static void requireSoftware(String unmaskedRenderer) {
        if (!isSoftware(unmaskedRenderer)) {
            throw new RenderException(ErrorCode.BROWSER_GPU_NOT_SOFTWARE, "WebGL renderer is '" + unmaskedRenderer
                    + "', expected SwiftShader: hardware GL is not deterministic across workers; run without a GPU "
                    + "or with --use-angle=swiftshader");
        }
    }
}
