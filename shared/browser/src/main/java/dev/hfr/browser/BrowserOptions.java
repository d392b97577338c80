package dev.hfr.browser;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How to start Chromium and how long to wait for a page.
 *
 * @param executable           the browser binary ({@link #fromEnvironment}), or null for Debian's (see {@link #resolveExecutable()})
 * @param extraArgs            appended after the {@link ChromeArgs} defaults
 * @param extraEnv             added to the browser's environment (Lambda: LD_LIBRARY_PATH, FONTCONFIG_PATH, HOME)
 * @param readyTimeout         load + fonts + images must finish within this; a page that stops answering
 *                             (a script that never returns) for this long ends with COMPOSITION_SCRIPT_TIMEOUT
 * @param timelineTimeout      every composition must register window.__timelines[id] within this
 * @param swiftShaderGl        add the serverless GL flags (ANGLE/SwiftShader GPU raster); measured about 2x
 *                             slower per frame and WebGL still gets SwiftShader without them, so off by default
 * @param forceScreenshot      capture with Page.captureScreenshot instead of HeadlessExperimental.beginFrame
 * @param beginFrameStallTimeout a beginFrame without an answer for this long switches the page to screenshot mode
 * @param frameTimeout         seeking and capturing one frame must finish within this, else the browser is
 *                             killed and the frame fails with COMPOSITION_SCRIPT_TIMEOUT
 */
public record BrowserOptions(
        Path executable,
        List<String> extraArgs,
        Map<String, String> extraEnv,
        Duration readyTimeout,
        Duration timelineTimeout,
        boolean swiftShaderGl,
        boolean forceScreenshot,
        Duration beginFrameStallTimeout,
        Duration frameTimeout) {

    public static final String ENV_EXECUTABLE = "HFR_CHROMIUM_PATH";
    public static final String PATH_BINARY = "chromium-headless-shell";
    public static final Path DEBIAN_BINARY = Path.of("/usr/lib/chromium/chromium-headless-shell");

    public BrowserOptions {
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
        readyTimeout = readyTimeout == null ? Duration.ofSeconds(30) : readyTimeout;
        timelineTimeout = timelineTimeout == null ? Duration.ofSeconds(10) : timelineTimeout;
        beginFrameStallTimeout = beginFrameStallTimeout == null ? Duration.ofSeconds(5) : beginFrameStallTimeout;
        frameTimeout = frameTimeout == null ? Duration.ofSeconds(10) : frameTimeout;
        for (Duration d : List.of(readyTimeout, timelineTimeout, frameTimeout)) {
            if (d.isNegative() || d.isZero()) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, "browser timeouts ready=" + readyTimeout
                        + " timeline=" + timelineTimeout + " frame=" + frameTimeout + ": expected positive durations");
            }
        }
    }

    public static BrowserOptions defaults() {
        return new BrowserOptions(null, List.of(), Map.of(), null, null, false, false, null, null);
    }

    public BrowserOptions withExecutable(Path path) {
        return new BrowserOptions(path, extraArgs, extraEnv, readyTimeout, timelineTimeout, swiftShaderGl,
                forceScreenshot, beginFrameStallTimeout, frameTimeout);
    }

    public BrowserOptions withTimeouts(Duration ready, Duration timeline) {
        return new BrowserOptions(executable, extraArgs, extraEnv, ready, timeline, swiftShaderGl, forceScreenshot,
                beginFrameStallTimeout, frameTimeout);
    }

    public BrowserOptions withSwiftShaderGl(boolean on) {
        return new BrowserOptions(executable, extraArgs, extraEnv, readyTimeout, timelineTimeout, on, forceScreenshot,
                beginFrameStallTimeout, frameTimeout);
    }

    public BrowserOptions withForceScreenshot(boolean on) {
        return new BrowserOptions(executable, extraArgs, extraEnv, readyTimeout, timelineTimeout, swiftShaderGl, on,
                beginFrameStallTimeout, frameTimeout);
    }

    public BrowserOptions withBeginFrameStallTimeout(Duration timeout) {
        return new BrowserOptions(executable, extraArgs, extraEnv, readyTimeout, timelineTimeout, swiftShaderGl,
                forceScreenshot, timeout, frameTimeout);
    }

    public BrowserOptions withFrameTimeout(Duration timeout) {
        return new BrowserOptions(executable, extraArgs, extraEnv, readyTimeout, timelineTimeout, swiftShaderGl,
                forceScreenshot, beginFrameStallTimeout, timeout);
    }

    public BrowserOptions withExtraArgs(List<String> args) {
        return new BrowserOptions(executable, args, extraEnv, readyTimeout, timelineTimeout, swiftShaderGl,
                forceScreenshot, beginFrameStallTimeout, frameTimeout);
    }

    public BrowserOptions withExtraEnv(Map<String, String> env) {
        return new BrowserOptions(executable, extraArgs, env, readyTimeout, timelineTimeout, swiftShaderGl,
                forceScreenshot, beginFrameStallTimeout, frameTimeout);
    }

    /**
     * The defaults with the browser the environment names: {@value #ENV_EXECUTABLE} when set (checked at launch),
     * else chromium-headless-shell on {@code PATH}, else none (then Debian's binary at launch). The composition
     * root calls this with its settings; nothing here reads the process environment.
     */
    public static BrowserOptions fromEnvironment(UnaryOperator<String> env) {
        String explicit = env.apply(ENV_EXECUTABLE);
        if (explicit != null && !explicit.isBlank()) {
            return defaults().withExecutable(Path.of(explicit.trim()));
        }
        return defaults().withExecutable(onPath(env.apply("PATH")));
    }

    /**
     * The binary to run: the explicit path (see {@link #fromEnvironment}), else Debian's
     * /usr/lib/chromium/chromium-headless-shell.
     */
    public Path resolveExecutable() {
        return resolveExecutable(null, null);
    }

    /** chromium-headless-shell on {@code pathValue} (the real binary behind Debian's wrapper), or null. */
    static Path onPath(String pathValue) {
        if (pathValue != null) {
            for (String dir : pathValue.split(File.pathSeparator)) {
                if (dir.isBlank()) {
                    continue;
                }
                Path p = Path.of(dir, PATH_BINARY);
                if (Files.isExecutable(p)) {
                    return realBinary(p);
                }
            }
        }
        return null;
    }

    Path resolveExecutable(String envValue, String pathValue) {
        List<String> tried = new ArrayList<>();
        if (executable != null) {
            if (Files.isExecutable(executable)) {
                return executable;
            }
            tried.add("explicit " + executable);
            // an explicit path that does not exist is a configuration error: do not silently use another
            throw unavailable(tried);
        }
        if (envValue != null && !envValue.isBlank()) {
            Path p = Path.of(envValue.trim());
            if (Files.isExecutable(p)) {
                return p;
            }
            tried.add(ENV_EXECUTABLE + "=" + p);
            throw unavailable(tried);
        }
        Path found = onPath(pathValue);
        if (found != null) {
            return found;
        }
        tried.add(PATH_BINARY + " on PATH");
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return DEBIAN_BINARY;
        }
        tried.add(DEBIAN_BINARY.toString());
        throw unavailable(tried);
    }

    /**
     * Debian's /usr/bin/chromium-headless-shell is a shell script that execs
     * /usr/lib/chromium/chromium-headless-shell; running the script leaves the browser orphaned when the
     * script is killed (it is the process we started), so run the binary it wraps.
     */
    static Path realBinary(Path onPath) {
        try {
            byte[] head = new byte[2];
            try (var in = Files.newInputStream(onPath)) {
                if (in.read(head) == 2 && head[0] == '#' && head[1] == '!') {
                    String script = Files.readString(onPath);
                    if (script.contains(DEBIAN_BINARY.toString()) && Files.isExecutable(DEBIAN_BINARY)) {
                        return DEBIAN_BINARY;
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // unreadable: use it as found
        }
        return onPath;
    }

    private static RenderException unavailable(List<String> tried) {
        return new RenderException(ErrorCode.BROWSER_UNAVAILABLE,
                "no Chromium executable found; tried " + String.join(", ", tried)
                        + " (set " + ENV_EXECUTABLE + " or install chromium-headless-shell)");
    }
}
