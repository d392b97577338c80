package dev.hfr.browser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds the Chromium command line (without the executable) for deterministic frame capture. */
public final class ChromeArgs {
    /** Flags without which HeadlessExperimental.beginFrame returns stale surfaces (capture-notes.md). */
    public static final List<String> BEGIN_FRAME_FLAGS = List.of(
            "--deterministic-mode",
            "--enable-begin-frame-control",
            "--disable-new-content-rendering-timeout",
            "--run-all-compositor-stages-before-draw",
            "--disable-threaded-animation",
            "--disable-threaded-scrolling",
            "--disable-checker-imaging",
            "--disable-image-animation-resync");

    /** The serverless GPU-emulation flags: SwiftShader GPU raster + compositing. About 2x the cost per frame. */
    public static final List<String> SWIFTSHADER_GL_FLAGS = List.of(
            "--use-gl=angle",
            "--use-angle=swiftshader",
            "--enable-unsafe-swiftshader",
            "--ignore-gpu-blocklist");

    private int widthPx = 1920;
    private int heightPx = 1080;
    private Path userDataDir;
    private boolean beginFrame = true;
    private boolean swiftShaderGl;
    private final List<String> extra = new ArrayList<>();

    private ChromeArgs() {
    }

    public static ChromeArgs builder() {
        return new ChromeArgs();
    }

    public ChromeArgs windowSize(int width, int height) {
        this.widthPx = width;
        this.heightPx = height;
        return this;
    }

    public ChromeArgs userDataDir(Path dir) {
        this.userDataDir = dir;
        return this;
    }

    public ChromeArgs beginFrame(boolean on) {
        this.beginFrame = on;
        return this;
    }

    public ChromeArgs swiftShaderGl(boolean on) {
        this.swiftShaderGl = on;
        return this;
    }

    public ChromeArgs extra(List<String> args) {
        extra.addAll(args);
        return this;
    }

    public List<String> build() {
        Objects.requireNonNull(userDataDir, "userDataDir");
        List<String> a = new ArrayList<>();
        a.add("--headless");
        // root in containers and Lambda has no user namespaces for the sandbox
        a.add("--no-sandbox");
        a.add("--disable-setuid-sandbox");
        a.add("--disable-dev-shm-usage");
        a.add("--remote-debugging-port=0");
        a.add("--remote-debugging-address=127.0.0.1");
        a.add("--user-data-dir=" + userDataDir);
        a.add("--window-size=" + widthPx + "," + heightPx);
        a.add("--force-device-scale-factor=1");
        a.add("--force-color-profile=srgb");
        a.add("--font-render-hinting=none");
        a.add("--hide-scrollbars");
        a.add("--mute-audio");
        a.add("--autoplay-policy=no-user-gesture-required");
        a.add("--no-first-run");
        a.add("--no-default-browser-check");
        a.add("--no-pings");
        a.add("--disable-background-networking");
        a.add("--disable-background-timer-throttling");
        a.add("--disable-backgrounding-occluded-windows");
        a.add("--disable-renderer-backgrounding");
        a.add("--disable-breakpad");
        a.add("--disable-component-update");
        a.add("--disable-default-apps");
        a.add("--disable-extensions");
        a.add("--disable-sync");
        a.add("--disable-domain-reliability");
        a.add("--disable-hang-monitor");
        a.add("--disable-ipc-flooding-protection");
        a.add("--disable-popup-blocking");
        a.add("--disable-print-preview");
        a.add("--metrics-recording-only");
        // Software compositing: measured equal or cheaper in every configuration (with the SwiftShader GL
        // flags it halves the cost per frame, 101 -> 39 CPU ms at 720p) and it avoids SwiftShader's
        // stale-raster bug that HyperFrames works around the same way. WebGL still gets SwiftShader.
        a.add("--disable-gpu-compositing");
        a.add("--disable-features=Translate,BackForwardCache,IntensiveWakeUpThrottling,MediaRouter,"
                + "OptimizationHints,AudioServiceOutOfProcess");
        if (beginFrame) {
            a.addAll(BEGIN_FRAME_FLAGS);
        }
        if (swiftShaderGl) {
            a.addAll(SWIFTSHADER_GL_FLAGS);
        }
        a.addAll(extra);
        return List.copyOf(a);
    }
}
