package dev.hfr.browser;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds the Chromium command line (without the executable) for deterministic frame capture of an untrusted
 * page that may reach nothing but its own site server (see {@link #networkBlock(String)}).
 */
public final class ChromeArgs {
    /**
     * A proxy that cannot exist: the name is never resolved (the resolver rules answer NOTFOUND before any DNS
     * query, and .invalid never resolves anyway, RFC 6761), so every proxied connection fails at once.
     */
    static final String DEAD_PROXY = "http://hfr-no-network.invalid:1";

    /** Flags that would undo the network block or the page's isolation if an extra argument supplied them. */
    private static final Pattern FORBIDDEN_EXTRA = Pattern.compile(
            "--(no-proxy-server|proxy-server|proxy-bypass-list|proxy-pac-url|proxy-auto-detect|host-resolver-rules"
                    + "|host-rules|force-webrtc-ip-handling-policy|webrtc-ip-handling-policy|disable-web-security"
                    + "|allow-file-access-from-files|remote-debugging-address|enable-quic|origin-to-force-quic-on"
                    + "|user-data-dir)(=.*)?");
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
    private boolean sandbox;
    private boolean swiftShaderGl;
    private String siteHostPort;
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

    /**
     * Chromium's own sandbox on (no {@code --no-sandbox}): only for a browser started as a non-root user with user
     * namespaces available ({@code BrowserSandbox}); off by default, as root and Lambda cannot use it.
     */
    public ChromeArgs sandbox(boolean on) {
        this.sandbox = on;
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

    /** The only endpoint the page may connect to: our loopback site server, e.g. {@code 127.0.0.1:41234}. */
    public ChromeArgs siteHostPort(String hostPort) {
        this.siteHostPort = hostPort;
        return this;
    }

    public ChromeArgs extra(List<String> args) {
        extra.addAll(args);
        return this;
    }

    public List<String> build() {
        Objects.requireNonNull(userDataDir, "userDataDir");
        Objects.requireNonNull(siteHostPort, "siteHostPort: a browser is never started without its network block");
        for (String arg : extra) {
            if (FORBIDDEN_EXTRA.matcher(arg.toLowerCase(Locale.ROOT)).matches()) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, "browser argument " + arg + " would weaken the"
                        + " page's network block or isolation: expected no proxy, resolver, WebRTC, QUIC, web-security"
                        + " or debugging-address flags in the extra browser arguments");
            }
        }
        List<String> a = new ArrayList<>();
        a.add("--headless");
        if (!sandbox) {
            // root cannot use the sandbox, and Lambda has no user namespaces for it (BrowserSandbox decides)
            a.add("--no-sandbox");
        }
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
        a.addAll(networkBlock(siteHostPort));
        a.addAll(extra);
        return List.copyOf(a);
    }

    /**
     * The page's network sandbox, enforced by the browser's network stack below Playwright routing (which never
     * sees WebSockets, WebRTC or DNS prefetches):
     * <ul>
     * <li>every connection goes through {@link #DEAD_PROXY}, loopback included ({@code <-loopback>} removes
     *     Chromium's implicit loopback bypass), except connections to exactly {@code siteHostPort}: fetch, XHR,
     *     EventSource, images, WebSockets and WebRTC's TCP candidates all fail;</li>
     * <li>the host resolver answers NOTFOUND for every name and IP literal but 127.0.0.1, so no DNS query leaves
     *     the browser (the proxy name included) and nothing resolves to another address;</li>
     * <li>WebRTC may use no UDP that bypasses the proxy (no host, STUN or TURN/UDP candidates), and QUIC is off
     *     (it is UDP and never proxied).</li>
     * </ul>
     * Measured (issue 13): without the first rule a WebSocket and fetch reached a local port, without the WebRTC
     * policy STUN packets did; with all of them a listener on 127.0.0.1 saw nothing ({@code NetworkBlockTest}).
     */
    public static List<String> networkBlock(String siteHostPort) {
        if (!siteHostPort.matches("127\\.0\\.0\\.1:[1-9][0-9]{0,4}")) {
            throw new IllegalArgumentException("site host:port " + siteHostPort + ": expected 127.0.0.1:PORT");
        }
        return List.of(
                "--proxy-server=" + DEAD_PROXY,
                "--proxy-bypass-list=<-loopback>;" + siteHostPort,
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
                "--webrtc-ip-handling-policy=disable_non_proxied_udp",
                "--disable-quic");
    }
}
