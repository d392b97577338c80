package dev.hfr.browser;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.hfr.browser.internal.PageRuntime;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One composition loaded in headless Chromium, ready to capture any frame.
 *
 * <p>The page owns its {@link BrowserSession} (site server, browser process, Playwright connection): either one
 * it starts ({@link #open(BrowserOptions, Path, String, int, int, int)}) or one started earlier, before the
 * composition was known ({@link #open(BrowserSession, Path, String, int)}). Playwright is not thread-safe: use
 * an instance from one thread at a time (one page per worker thread; a hand-over needs a happens-before edge).
 *
 * <p>Frame n is {@code __hfr.seek(n / fps)} followed by a capture: {@link BeginFrameCapture} on a target
 * created with begin-frame control (nothing is painted unless we send HeadlessExperimental.beginFrame), or,
 * when beginFrame stalls or fails, {@link ScreenshotCapture} on a page re-opened without begin-frame control for
 * the rest of its life. Readiness is {@link Readiness}; hard deadlines are {@link PageWatchdog}'s.
 */
public final class CompositionPage implements AutoCloseable {
    private static final String GL_RENDERER_JS = "(() => { try { const c = document.createElement('canvas');"
            + " const gl = c.getContext('webgl') || c.getContext('experimental-webgl'); if (!gl) return '';"
            + " const ext = gl.getExtension('WEBGL_debug_renderer_info');"
            + " return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));"
            + " } catch (e) { return ''; } })()";
    private static final long POLL_MILLIS = 15;

    private final BrowserOptions options;
    private final BrowserSession session;
    private final String entryPath;
    private final int width;
    private final int height;
    private final int fps;
    private final PageErrors pageErrors;
    private final PageWatchdog watchdog;

    private Page page;
    private CDPSession cdp;
    private PageScript script;
    private FrameCapture capture;
    private String glRenderer = "";
    private String backgroundFormat = "";
    private PageProbe probe;
    private boolean closed;

    private CompositionPage(BrowserSession session, String entryPath, int fps) {
        this.session = session;
        this.options = session.options();
        this.entryPath = entryPath;
        this.width = session.width();
        this.height = session.height();
        this.fps = fps;
        this.pageErrors = new PageErrors(entryPath, this::sitePath);
        this.watchdog = new PageWatchdog(session::kill);
    }

    /**
     * Starts a browser, serves {@code siteRoot} and loads {@code entryPath} (relative to the site root) at
     * width x height, waiting until fonts, images and every composition timeline are ready.
     */
    public static CompositionPage open(BrowserOptions options, Path siteRoot, String entryPath, int width, int height,
            int fps) {
        check(siteRoot, entryPath, width, height, fps);
        BrowserSession session = BrowserSession.start(options, width, height, siteRoot);
        return load(session, entryPath, fps);
    }

    /**
     * Loads {@code entryPath} of {@code siteRoot} in a browser started earlier ({@link BrowserSession#start}),
     * at the session's size. The page owns the session from now on (closing the page closes it), also when the
     * load fails.
     */
    public static CompositionPage open(BrowserSession session, Path siteRoot, String entryPath, int fps) {
        try {
            check(siteRoot, entryPath, session.width(), session.height(), fps);
            session.claim();
            session.serve(siteRoot);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return load(session, entryPath, fps);
    }

    private static void check(Path siteRoot, String entryPath, int width, int height, int fps) {
        if (width <= 0 || height <= 0 || fps <= 0) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "page size " + width + "x" + height + " at " + fps
                    + " fps: expected positive width, height and fps");
        }
        if (!Files.isRegularFile(siteRoot.resolve(entryPath))) {
            throw new RenderException(ErrorCode.ENTRY_FILE_NOT_FOUND, "entry file " + entryPath + " not found in "
                    + siteRoot);
        }
    }

    private static CompositionPage load(BrowserSession session, String entryPath, int fps) {
        CompositionPage p = new CompositionPage(session, entryPath, fps);
        try {
            p.start();
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw RenderException.wrap(e);
        }
    }

    private void start() {
        openTarget(session.beginFrame());
        try {
            navigateAndWait();
        } catch (BeginFrameFailure e) {
            switchToScreenshot(e.getMessage());
        }
        probe = withDeadline(options.readyTimeout(), "reading what the composition declares", this::readProbe);
    }

    /**
     * Goes on from another copy of the same site: the plan's probe page, handed to the first chunk, is served from
     * the chunk's materialised plan from now on. Every frame is a pure function of its time, so the page needs no
     * reload, except when it shows videos: the runtime reads their pre-extracted frames' index
     * ({@code /__hfr/videos.json}) once at load, and the plan writes it after the probe.
     */
    public void moveTo(Path siteRoot) {
        check(siteRoot, entryPath, width, height, fps);
        session.serve(siteRoot);
        if (probe.media().stream().anyMatch(m -> m.kind().equals("video"))) {
            try {
                navigateAndWait();
            } catch (BeginFrameFailure e) {
                switchToScreenshot(e.getMessage());
            }
        }
    }

    /** The viewport size and frame rate this page renders at. */
    public boolean renders(String entryPath, int width, int height, int fps) {
        return this.entryPath.equals(entryPath) && this.width == width && this.height == height && this.fps == fps;
    }

    /** Creates the page target (with or without begin-frame control) and attaches our CDP session. */
    private void openTarget(boolean beginFrame) {
        if (capture != null) {
            capture.close();
        }
        CDPSession browserCdp = session.browser().newBrowserCDPSession();
        JsonObject params = new JsonObject();
        params.addProperty("url", "about:blank");
        params.addProperty("width", width);
        params.addProperty("height", height);
        params.addProperty("enableBeginFrameControl", beginFrame);
        JsonObject[] created = new JsonObject[1];
        page = session.context().waitForPage(() -> created[0] = browserCdp.send("Target.createTarget", params));
        String targetId = created[0].get("targetId").getAsString();
        browserCdp.detach();
        page.addInitScript(PageRuntime.script(fps));
        cdp = session.context().newCDPSession(page);
        script = new PageScript(cdp, entryPath);
        // a script that throws before registering its timeline must be named in the error, not lost behind it
        cdp.on("Runtime.exceptionThrown", event -> pageErrors.record(event.getAsJsonObject("exceptionDetails")));
        cdp.send("Runtime.enable");
        JsonObject metrics = new JsonObject();
        metrics.addProperty("width", width);
        metrics.addProperty("height", height);
        metrics.addProperty("deviceScaleFactor", 1);
        metrics.addProperty("mobile", false);
        cdp.send("Emulation.setDeviceMetricsOverride", metrics);
        backgroundFormat = "";
        capture = beginFrame ? new BeginFrameCapture(cdp, page, session, targetId, watchdog, fps)
                : new ScreenshotCapture(cdp, width, height);
        glRenderer = script.evaluate(GL_RENDERER_JS).getAsString();
        GpuCheck.requireSoftware(glRenderer);
    }

    private void navigateAndWait() {
        withDeadline(options.readyTimeout(), "loading", () -> {
            navigateAndWaitUnguarded();
            return null;
        });
    }

    private void navigateAndWaitUnguarded() {
        // a reload (the switch to screenshot capture) runs the page's scripts again: report each error once
        pageErrors.clear();
        JsonObject nav = new JsonObject();
        nav.addProperty("url", session.server().url(entryPath));
        JsonObject r = cdp.send("Page.navigate", nav);
        if (r.has("errorText") && !r.get("errorText").getAsString().isEmpty()) {
            throw new RenderException(ErrorCode.ENTRY_FILE_NOT_FOUND, "cannot load " + entryPath + ": "
                    + r.get("errorText").getAsString());
        }
        Readiness.await(script, this::pump, options, entryPath, pageErrors);
    }

    private String sitePath(String url) {
        String origin = session.server().origin() + "/";
        if (!url.startsWith(origin)) {
            return url;
        }
        String path = url.substring(origin.length());
        int cut = path.indexOf('?');
        path = cut < 0 ? path : path.substring(0, cut);
        try {
            return java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    static String formatSeconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : (ms / 1000.0) + " s";
    }

    /** Lets the page make progress while we poll: a begin-frame page only runs its pipeline when told to. */
    private void pump() {
        capture.pump();
        // waitForTimeout keeps Playwright's dispatcher running, which our request route needs
        page.waitForTimeout(POLL_MILLIS);
    }

    private PageProbe readProbe() {
        JsonObject o = evaluate("window.__hfr.probe()").getAsJsonObject();
        String id = o.get("compositionId").getAsString();
        JsonElement d = o.get("durationSeconds");
        double duration = d == null || d.isJsonNull() ? Double.NaN : d.getAsDouble();
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new RenderException(ErrorCode.COMPOSITION_ZERO_DURATION, "composition '" + id + "' (element "
                    + o.get("element").getAsString() + ") in " + entryPath + " has duration " + d
                    + ": expected a positive data-duration on the root or a timeline with a positive duration()");
        }
        List<String> timelines = new ArrayList<>();
        o.getAsJsonArray("timelines").forEach(e -> timelines.add(e.getAsString()));
        List<MediaElement> media = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("media")) {
            JsonObject m = e.getAsJsonObject();
            media.add(new MediaElement(m.get("kind").getAsString(), str(m, "hfrId"), str(m, "src"),
                    m.get("startSeconds").getAsDouble(),
                    m.get("durationSeconds").isJsonNull() ? null : m.get("durationSeconds").getAsDouble(),
                    m.get("mediaStartSeconds").getAsDouble(), m.get("playbackRate").getAsDouble(),
                    m.get("volume").getAsDouble(), m.get("hasAudio").getAsBoolean()));
        }
        return new PageProbe(id, (int) o.get("width").getAsDouble(), (int) o.get("height").getAsDouble(), duration,
                timelines, media, List.of(), session.browser().version(), glRenderer);
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    /** What the composition declares, plus every request blocked so far. */
    public PageProbe probe() {
        PageProbe p = probe;
        return new PageProbe(p.compositionId(), p.width(), p.height(), p.durationSeconds(), p.timelines(), p.media(),
                session.blocked(), p.browserVersion(), p.glRenderer());
    }

    /** Whether frames travel over our own DevTools connection rather than through Playwright's driver (tests). */
    boolean directCapture() {
        return capture instanceof BeginFrameCapture b && b.direct();
    }

    /** The browser's DevTools port, loopback only (tests: the page must not reach it). */
    int devtoolsPort() {
        return session.chromium().devtoolsPort();
    }

    /** "beginframe" or "screenshot" (after a beginFrame stall or error, or with forceScreenshot). */
    public String captureMode() {
        return capture.mode();
    }

    /**
     * Frames captured so far for which the browser reported no damage (nothing on screen changed since the
     * previous frame), so the previous picture was returned without a capture. Always 0 in screenshot mode.
     */
    public long framesWithoutDamage() {
        return capture.framesWithoutDamage();
    }

    /**
     * Seeks to {@code frameIndex / fps} and captures the viewport.
     *
     * @param format      "jpeg" or "png" (png keeps transparency: the default page background is transparent)
     * @param jpegQuality 0..100, ignored for png
     */
    public byte[] captureFrame(int frameIndex, String format, int jpegQuality) {
        if (!format.equals("jpeg") && !format.equals("png")) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "capture format '" + format + "': expected jpeg or png");
        }
        if (frameIndex < 0) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "frame index " + frameIndex + ": expected >= 0");
        }
        if (watchdog.hung()) {
            throw scriptTimeout();
        }
        String what = "seeking and capturing frame " + frameIndex + " (t = "
                + String.format(Locale.ROOT, "%.3f", (double) frameIndex / fps) + " s)";
        try {
            try {
                return withDeadline(options.frameTimeout(), what, () -> {
                    setBackground(format);
                    seek(frameIndex);
                    return capture.capture(format, jpegQuality);
                });
            } catch (BeginFrameFailure e) {
                switchToScreenshot(e.getMessage());
            }
            return withDeadline(options.frameTimeout(), what, () -> {
                setBackground(format);
                seek(frameIndex);
                return capture.capture(format, jpegQuality);
            });
        } catch (PlaywrightException e) {
            if (!session.alive()) {
                throw new RenderException(ErrorCode.BROWSER_CRASHED, "browser exited while capturing frame " + frameIndex
                        + ": " + RenderException.tail(session.stderrTail(), 5), e);
            }
            throw new RenderException(ErrorCode.CAPTURE_FAILED, "frame " + frameIndex + ": " + firstLine(e.getMessage()), e);
        }
    }

    private void seek(int frameIndex) {
        double t = (double) frameIndex / fps;
        JsonElement pending = evaluate("window.__hfr.seek(" + t + ")");
        if (pending != null && pending.isJsonPrimitive() && pending.getAsInt() > 0) {
            // decode() of a swapped video frame resolves without a BeginFrame; the page-side timeout keeps
            // this call bounded, and the polling loop below covers the rare case where it runs out
            if (evaluateAwait("window.__hfr.videoFramesReady(2000)").getAsInt() == 0) {
                return;
            }
            long deadline = System.nanoTime() + options.frameTimeout().toNanos();
            while (evaluate("window.__hfr.pendingVideoFrames()").getAsInt() > 0) {
                if (System.nanoTime() > deadline) {
                    throw new RenderException(ErrorCode.CAPTURE_FAILED, "frame " + frameIndex + ": video frame images did"
                            + " not decode within " + formatSeconds(options.frameTimeout()));
                }
                pump();
            }
        }
    }

    private void setBackground(String format) {
        if (format.equals(backgroundFormat)) {
            return;
        }
        if (format.equals("png")) {
            JsonObject color = new JsonObject();
            color.addProperty("r", 0);
            color.addProperty("g", 0);
            color.addProperty("b", 0);
            color.addProperty("a", 0);
            JsonObject p = new JsonObject();
            p.add("color", color);
            cdp.send("Emulation.setDefaultBackgroundColorOverride", p);
        } else {
            cdp.send("Emulation.setDefaultBackgroundColorOverride", new JsonObject());
        }
        backgroundFormat = format;
    }

    private <T> T withDeadline(Duration limit, String what, java.util.function.Supplier<T> body) {
        return watchdog.run(limit, what, body, this::scriptTimeout);
    }

    private RenderException scriptTimeout() {
        return new RenderException(ErrorCode.COMPOSITION_SCRIPT_TIMEOUT, "a script in " + entryPath
                + " kept the page busy for more than " + formatSeconds(watchdog.hungAfter()) + " while "
                + watchdog.hungWhile() + " (an endless loop?); the browser was stopped" + pageErrors.suffix());
    }

    /**
     * A browser started with --enable-begin-frame-control does not paint targets on its own, so the
     * fallback restarts Chromium without the begin-frame flags and reloads the composition.
     */
    private void switchToScreenshot(String reason) {
        System.getLogger(CompositionPage.class.getName()).log(System.Logger.Level.WARNING,
                "switching " + entryPath + " to screenshot capture: " + reason);
        session.relaunch(false);
        openTarget(false);
        navigateAndWait();
    }

    private JsonElement evaluate(String expression) {
        return script.evaluate(expression);
    }

    private JsonElement evaluateAwait(String expression) {
        return script.evaluateAwait(expression);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        watchdog.close();
        if (capture != null) {
            capture.close();
        }
        session.close();
    }
}
