package dev.hfr.browser;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import dev.hfr.browser.internal.BrowserSandbox;
import dev.hfr.browser.internal.ChromiumProcess;
import dev.hfr.browser.internal.PageRuntime;
import dev.hfr.browser.internal.PlaywrightDriver;
import dev.hfr.browser.internal.SiteServer;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One composition loaded in its own headless Chromium, ready to capture any frame.
 *
 * <p>Owns a browser process, a Playwright connection and a loopback site server. Playwright is not
 * thread-safe: use an instance from one thread only (one page per worker thread).
 *
 * <p>Capture: the page target is created with begin-frame control, so nothing is painted unless we
 * send HeadlessExperimental.beginFrame; frame n is {@code __hfr.seek(n / fps)} followed by one
 * beginFrame with a screenshot. If beginFrame stalls or fails, the page is re-opened without
 * begin-frame control and Page.captureScreenshot is used for the rest of its life.
 */
public final class CompositionPage implements AutoCloseable {
    private static final Pattern HFR_ERROR = Pattern.compile("HFR:([A-Z_]+):([^\\n]*)");
    private static final String GL_RENDERER_JS = "(() => { try { const c = document.createElement('canvas');"
            + " const gl = c.getContext('webgl') || c.getContext('experimental-webgl'); if (!gl) return '';"
            + " const ext = gl.getExtension('WEBGL_debug_renderer_info');"
            + " return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));"
            + " } catch (e) { return ''; } })()";
    private static final long POLL_MILLIS = 15;
    /**
     * Slack between a phase's own deadline (checked between polls, while the page still answers) and the hard
     * deadline that kills the browser (a page that stopped answering: a script that never returns).
     */
    private static final Duration HARD_DEADLINE_SLACK = Duration.ofSeconds(2);
    private static final int MAX_REPORTED_PAGE_ERRORS = 3;

    private final BrowserOptions options;
    private final String entryPath;
    private final int width;
    private final int height;
    private final int fps;
    private final List<String> blocked = new CopyOnWriteArrayList<>();
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watchdog;
    /** What the page was doing when its hard deadline killed the browser; null while none did. */
    private volatile String hungWhile;
    private volatile Duration hungAfter;

    private SiteServer server;
    private ChromiumProcess chromium;
    private Playwright playwright;
    private Browser browser;
    private BrowserContext context;
    private Page page;
    private CDPSession cdp;
    private String targetId;
    private boolean beginFrameMode;
    private String glRenderer = "";
    private String backgroundFormat = "";
    private byte[] lastFrame;
    private String lastFrameKey = "";
    private PageProbe probe;
    private boolean closed;

    private CompositionPage(BrowserOptions options, String entryPath, int width, int height, int fps) {
        this.options = options;
        this.entryPath = entryPath;
        this.width = width;
        this.height = height;
        this.fps = fps;
        // two threads: a beginFrame-stall recovery (an HTTP call) must not delay a script deadline's kill
        this.watchdog = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "hfr-page-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a browser, serves {@code siteRoot} and loads {@code entryPath} (relative to the site root) at
     * width x height, waiting until fonts, images and every composition timeline are ready.
     */
    public static CompositionPage open(BrowserOptions options, Path siteRoot, String entryPath, int width, int height,
            int fps) {
        if (width <= 0 || height <= 0 || fps <= 0) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "page size " + width + "x" + height + " at " + fps
                    + " fps: expected positive width, height and fps");
        }
        if (!Files.isRegularFile(siteRoot.resolve(entryPath))) {
            throw new RenderException(ErrorCode.ENTRY_FILE_NOT_FOUND, "entry file " + entryPath + " not found in "
                    + siteRoot);
        }
        CompositionPage p = new CompositionPage(options, entryPath, width, height, fps);
        try {
            p.start(siteRoot);
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw RenderException.wrap(e);
        }
    }

    private void start(Path siteRoot) {
        try {
            server = SiteServer.start(siteRoot);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "cannot serve " + siteRoot + ": " + e.getMessage(), e);
        }
        launch(!options.forceScreenshot());
        try {
            navigateAndWait();
        } catch (BeginFrameFailure e) {
            switchToScreenshot(e.getMessage());
        }
        probe = withDeadline(options.readyTimeout(), "reading what the composition declares", this::readProbe);
    }

    /** Starts Chromium (with or without the begin-frame flags), connects Playwright and opens the page target. */
    private void launch(boolean beginFrame) {
        Path exe = options.resolveExecutable();
        // one private folder per browser holds its profile and Chromium's temp files; closing removes it
        Path tempRoot;
        Path userDataDir;
        Path tempDir;
        try {
            tempRoot = Files.createTempDirectory("hfr-browser-");
            userDataDir = Files.createDirectory(tempRoot.resolve("profile"));
            tempDir = Files.createDirectory(tempRoot.resolve("tmp"));
        } catch (IOException e) {
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "cannot create a browser profile dir: " + e, e);
        }
        BrowserSandbox sandbox = BrowserSandbox.forThisProcess(tempRoot);
        sandbox.logOnce();
        List<String> args = ChromeArgs.builder()
                .sandbox(sandbox.sandboxed())
                .windowSize(width, height)
                .userDataDir(userDataDir)
                .beginFrame(beginFrame)
                .swiftShaderGl(options.swiftShaderGl())
                .siteHostPort(server.hostPort())
                .extra(options.extraArgs())
                .build();
        Map<String, String> chromiumEnv = new HashMap<>(options.extraEnv());
        chromiumEnv.put("TMPDIR", tempDir.toString());
        try {
            sandbox.prepare(tempRoot, chromiumEnv);
        } catch (RenderException e) {
            dev.hfr.model.FileTrees.deleteQuietly(tempRoot);
            throw e;
        }
        chromium = ChromiumProcess.start(sandbox.launcher(), exe, args, tempRoot, chromiumEnv, Duration.ofSeconds(30));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        PlaywrightDriver.ensureInstalled();
        try {
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
            browser = playwright.chromium().connectOverCDP(chromium.wsUrl());
        } catch (PlaywrightException e) {
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "cannot connect to " + exe + ": "
                    + firstLine(e.getMessage()) + "\n" + RenderException.tail(chromium.stderrTail(), 5), e);
        }
        context = browser.contexts().isEmpty() ? browser.newContext() : browser.contexts().get(0);
        String origin = server.origin();
        // The plan resolves every remote asset beforehand: anything not served by us is a bug to report,
        // and never a reason to touch the network. This route only reports: the block itself is the
        // browser's proxy and resolver rules (ChromeArgs.networkBlock), which also cover WebSockets and WebRTC.
        context.route("**/*", route -> {
            String url = route.request().url();
            if (url.startsWith(origin + "/") || url.startsWith("data:") || url.startsWith("blob:")
                    || url.startsWith("about:")) {
                route.resume();
            } else {
                if (!blocked.contains(url)) {
                    blocked.add(url);
                }
                route.abort("blockedbyclient");
            }
        });
        openTarget(beginFrame);
        glRenderer = evaluate(GL_RENDERER_JS).getAsString();
        GpuCheck.requireSoftware(glRenderer);
    }

    private void shutdownBrowser() {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
        if (browser != null) {
            // with the browser already gone this returns at once, and it is what makes the Playwright driver
            // remove its playwright-artifacts-* folder (closing only the driver leaves it in the temp dir)
            try {
                browser.close();
            } catch (RuntimeException ignored) {
                // disconnected already
            }
            browser = null;
        }
        if (playwright != null) {
            try {
                playwright.close();
            } catch (RuntimeException ignored) {
                // the driver may already be gone; the process kill below is what matters
            }
            playwright = null;
        }
    }

    /** Creates the page target (with or without begin-frame control) and attaches our CDP session. */
    private void openTarget(boolean beginFrame) {
        beginFrameMode = beginFrame;
        CDPSession browserCdp = browser.newBrowserCDPSession();
        JsonObject params = new JsonObject();
        params.addProperty("url", "about:blank");
        params.addProperty("width", width);
        params.addProperty("height", height);
        params.addProperty("enableBeginFrameControl", beginFrame);
        JsonObject[] created = new JsonObject[1];
        page = context.waitForPage(() -> created[0] = browserCdp.send("Target.createTarget", params));
        targetId = created[0].get("targetId").getAsString();
        browserCdp.detach();
        page.addInitScript(PageRuntime.script(fps));
        cdp = context.newCDPSession(page);
        // a script that throws before registering its timeline must be named in the error, not lost behind it
        cdp.on("Runtime.exceptionThrown", event -> recordPageError(event.getAsJsonObject("exceptionDetails")));
        cdp.send("Runtime.enable");
        JsonObject metrics = new JsonObject();
        metrics.addProperty("width", width);
        metrics.addProperty("height", height);
        metrics.addProperty("deviceScaleFactor", 1);
        metrics.addProperty("mobile", false);
        cdp.send("Emulation.setDeviceMetricsOverride", metrics);
        backgroundFormat = "";
        lastFrame = null;
        lastFrameKey = "";
        if (beginFrame) {
            try {
                cdp.send("HeadlessExperimental.enable");
            } catch (PlaywrightException ignored) {
                // newer Chromium removed enable(); beginFrame works without it
            }
        }
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
        nav.addProperty("url", server.url(entryPath));
        JsonObject r = cdp.send("Page.navigate", nav);
        if (r.has("errorText") && !r.get("errorText").getAsString().isEmpty()) {
            throw new RenderException(ErrorCode.ENTRY_FILE_NOT_FOUND, "cannot load " + entryPath + ": "
                    + r.get("errorText").getAsString());
        }
        waitReady();
    }

    private void waitReady() {
        long start = System.nanoTime();
        long deadline = start + options.readyTimeout().toNanos();
        long timelineDeadline = 0;
        String phase = "loading";
        while (true) {
            JsonElement v = evaluate("window.__hfr && location.protocol.startsWith('http') ? window.__hfr.readiness() : null");
            if (v != null && v.isJsonObject()) {
                JsonObject st = v.getAsJsonObject();
                phase = st.get("phase").getAsString();
                if (phase.equals("ready")) {
                    return;
                }
                if (phase.equals("error")) {
                    ErrorCode code = ErrorCode.fromName(st.get("code").getAsString());
                    throw new RenderException(code, st.get("message").getAsString() + " in " + entryPath);
                }
                if (phase.equals("timelines")) {
                    long now = System.nanoTime();
                    if (timelineDeadline == 0) {
                        timelineDeadline = now + options.timelineTimeout().toNanos();
                    } else if (now > timelineDeadline) {
                        if (st.has("registered") && st.get("registered").getAsInt() == 0
                                && st.has("built") && st.get("built").getAsInt() == 0 && pageErrors.isEmpty()) {
                            // no script built or registered any timeline and none threw: a static composition
                            // (HyperFrames renders it too); one that built a timeline but never registered it,
                            // registered others but not this id, or threw first, is a bug and stays an error
                            evaluate("window.__hfr.acceptStatic()");
                            timelineDeadline = Long.MAX_VALUE;
                        } else {
                            throw timelineMissing(st.getAsJsonArray("missing"));
                        }
                    }
                } else {
                    timelineDeadline = 0;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new RenderException(ErrorCode.TIMEOUT, entryPath + " was not ready within "
                        + options.readyTimeout().toSeconds() + " s (still waiting for " + phase + ")"
                        + pageErrorsSuffix());
            }
            pump();
        }
    }

    private RenderException timelineMissing(JsonArray missing) {
        JsonObject first = missing.get(0).getAsJsonObject();
        String id = first.get("id").getAsString();
        String element = first.get("element").getAsString();
        String secs = formatSeconds(options.timelineTimeout());
        String more = missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : "";
        return new RenderException(ErrorCode.TIMELINE_NOT_REGISTERED, "composition '" + id + "' (element " + element
                + ") never registered window.__timelines['" + id + "'] within " + secs + more
                + "; register it synchronously: window.__timelines['" + id + "'] = tl" + pageErrorsSuffix());
    }

    /** "; the page threw: TypeError: x is not a function (index.html:12:5)", or "" when no script threw. */
    private String pageErrorsSuffix() {
        List<String> errors = List.copyOf(pageErrors);
        if (errors.isEmpty()) {
            return "";
        }
        String more = errors.size() > MAX_REPORTED_PAGE_ERRORS
                ? "; and " + (errors.size() - MAX_REPORTED_PAGE_ERRORS) + " more" : "";
        return "; the page threw: " + String.join("; ", errors.subList(0, Math.min(errors.size(),
                MAX_REPORTED_PAGE_ERRORS))) + more;
    }

    /** Keeps "message (file:line:column)" of an uncaught page exception, the file relative to the site root. */
    private void recordPageError(JsonObject details) {
        if (details == null || pageErrors.size() >= 20) {
            return;
        }
        JsonObject exception = details.has("exception") ? details.getAsJsonObject("exception") : null;
        String text = exception != null && exception.has("description")
                ? firstLine(exception.get("description").getAsString())
                : details.has("text") ? details.get("text").getAsString() : "uncaught exception";
        String where = details.has("url") ? sitePath(details.get("url").getAsString()) : entryPath;
        int line = details.has("lineNumber") ? details.get("lineNumber").getAsInt() + 1 : 0;
        int column = details.has("columnNumber") ? details.get("columnNumber").getAsInt() + 1 : 0;
        pageErrors.add(text + " (" + (where.isEmpty() ? entryPath : where) + ":" + line + ":" + column + ")");
    }

    private String sitePath(String url) {
        String origin = server.origin() + "/";
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

    private static String formatSeconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : (ms / 1000.0) + " s";
    }

    /** Lets the page make progress while we poll: a begin-frame page only runs its pipeline when told to. */
    private void pump() {
        if (beginFrameMode) {
            JsonObject p = new JsonObject();
            p.addProperty("interval", 1000.0 / fps);
            p.addProperty("noDisplayUpdates", true);
            beginFrame(p);
        }
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
                timelines, media, List.of(), browser.version(), glRenderer);
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    /** What the composition declares, plus every request blocked so far. */
    public PageProbe probe() {
        PageProbe p = probe;
        return new PageProbe(p.compositionId(), p.width(), p.height(), p.durationSeconds(), p.timelines(), p.media(),
                List.copyOf(blocked), p.browserVersion(), p.glRenderer());
    }

    /** "beginframe" or "screenshot" (after a beginFrame stall or error, or with forceScreenshot). */
    public String captureMode() {
        return beginFrameMode ? "beginframe" : "screenshot";
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
        if (hungWhile != null) {
            throw scriptTimeout();
        }
        String what = "seeking and capturing frame " + frameIndex + " (t = "
                + String.format(java.util.Locale.ROOT, "%.3f", (double) frameIndex / fps) + " s)";
        try {
            if (beginFrameMode) {
                try {
                    return withDeadline(options.frameTimeout(), what, () -> {
                        setBackground(format);
                        seek(frameIndex);
                        return captureBeginFrame(format, jpegQuality);
                    });
                } catch (BeginFrameFailure e) {
                    switchToScreenshot(e.getMessage());
                }
            }
            return withDeadline(options.frameTimeout(), what, () -> {
                setBackground(format);
                seek(frameIndex);
                return captureScreenshot(format, jpegQuality);
            });
        } catch (PlaywrightException e) {
            if (chromium != null && !chromium.isAlive()) {
                throw new RenderException(ErrorCode.BROWSER_CRASHED, "browser exited while capturing frame " + frameIndex
                        + ": " + RenderException.tail(chromium.stderrTail(), 5), e);
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

    private byte[] captureBeginFrame(String format, int quality) {
        JsonObject shot = new JsonObject();
        shot.addProperty("format", format);
        if (format.equals("jpeg")) {
            shot.addProperty("quality", quality);
        }
        shot.addProperty("optimizeForSpeed", format.equals("jpeg"));
        JsonObject p = new JsonObject();
        p.addProperty("interval", 1000.0 / fps);
        p.add("screenshot", shot);
        JsonObject r = beginFrame(p);
        String key = format + ":" + quality;
        if (r.has("screenshotData")) {
            lastFrame = Base64.getDecoder().decode(r.get("screenshotData").getAsString());
            lastFrameKey = key;
            return lastFrame.clone();
        }
        // no damage: the picture is the previous one
        if (lastFrame != null && lastFrameKey.equals(key)) {
            return lastFrame.clone();
        }
        throw new BeginFrameFailure("beginFrame returned no screenshot and there is no previous " + format + " frame");
    }

    /**
     * Runs {@code body} under a hard deadline. A page that has not answered by then is running a script that
     * does not return (Runtime.evaluate waits forever behind it, and Playwright with it); a renderer in that
     * state cannot be reused, so the watchdog kills the browser, which fails the pending call at once, and
     * the phase ends with COMPOSITION_SCRIPT_TIMEOUT. {@code limit} is the phase's own deadline, which the
     * polling loops check while the page still answers; the kill comes {@link #HARD_DEADLINE_SLACK} later.
     */
    private <T> T withDeadline(Duration limit, String what, java.util.function.Supplier<T> body) {
        if (hungWhile != null) {
            throw scriptTimeout();
        }
        Thread caller = Thread.currentThread();
        // the lock orders "the body finished" against "the guard fired": once the caller holds it after the
        // guard, the kill and the interrupt have both happened and the interrupt can be cleared
        Object lock = new Object();
        boolean[] finished = new boolean[1];
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            synchronized (lock) {
                if (finished[0]) {
                    return;
                }
                finished[0] = true;
                hungAfter = limit;
                hungWhile = what;
                ChromiumProcess c = chromium;
                if (c != null) {
                    c.close();
                }
                // Playwright does not fail a pending CDP call when the browser dies (measured: it waited until
                // the test's 120 s timeout), but its message loop gives up when the waiting thread is interrupted
                caller.interrupt();
            }
        }, limit.plus(HARD_DEADLINE_SLACK).toMillis(), TimeUnit.MILLISECONDS);
        RuntimeException failure = null;
        T result = null;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            guard.cancel(false);
            synchronized (lock) {
                finished[0] = true;
            }
        }
        if (hungWhile != null) {
            Thread.interrupted();
            RenderException timeout = scriptTimeout();
            if (failure != null) {
                timeout.addSuppressed(failure);
            }
            throw timeout;
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    private RenderException scriptTimeout() {
        return new RenderException(ErrorCode.COMPOSITION_SCRIPT_TIMEOUT, "a script in " + entryPath
                + " kept the page busy for more than " + formatSeconds(hungAfter.plus(HARD_DEADLINE_SLACK)) + " while "
                + hungWhile + " (an endless loop?); the browser was stopped" + pageErrorsSuffix());
    }

    /** Sends beginFrame with a watchdog: a stalled call is ended by closing the target from outside. */
    private JsonObject beginFrame(JsonObject params) {
        AtomicBoolean stalled = new AtomicBoolean();
        String tid = targetId;
        int port = chromium.devtoolsPort();
        if (options.beginFrameStallTimeout().isZero()) {
            // zero means "do not wait at all": treat the call as stalled, through the same recovery path
            stalled.set(true);
            closeTargetFromOutside(port, tid);
        }
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            stalled.set(true);
            closeTargetFromOutside(port, tid);
        }, options.beginFrameStallTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    return cdp.send("HeadlessExperimental.beginFrame", params);
                } catch (PlaywrightException e) {
                    // a frame still in flight is transient (HyperFrames retries it the same way)
                    boolean pending = e.getMessage() != null && e.getMessage().contains("Another frame is pending");
                    if (!pending || stalled.get() || attempt >= 4) {
                        throw e;
                    }
                    page.waitForTimeout(25L << attempt);
                }
            }
        } catch (PlaywrightException e) {
            if (!chromium.isAlive()) {
                throw new RenderException(ErrorCode.BROWSER_CRASHED, "browser exited during beginFrame: "
                        + RenderException.tail(chromium.stderrTail(), 5), e);
            }
            if (stalled.get()) {
                throw new BeginFrameFailure("beginFrame stalled for " + options.beginFrameStallTimeout().toMillis() + " ms");
            }
            throw new BeginFrameFailure("beginFrame failed: " + firstLine(e.getMessage()));
        } finally {
            guard.cancel(false);
        }
    }

    private static void closeTargetFromOutside(int port, String targetId) {
        // runs on the watchdog thread, so it must not touch Playwright: the DevTools HTTP endpoint does it
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/close/" + targetId))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            client.send(req, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the browser is gone; the pending send fails anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A browser started with --enable-begin-frame-control does not paint targets on its own, so the
     * fallback restarts Chromium without the begin-frame flags and reloads the composition.
     */
    private void switchToScreenshot(String reason) {
        System.getLogger(CompositionPage.class.getName()).log(System.Logger.Level.WARNING,
                "switching " + entryPath + " to screenshot capture: " + reason);
        shutdownBrowser();
        launch(false);
        navigateAndWait();
    }

    private byte[] captureScreenshot(String format, int quality) {
        JsonObject p = new JsonObject();
        p.addProperty("format", format);
        if (format.equals("jpeg")) {
            p.addProperty("quality", quality);
        }
        p.addProperty("fromSurface", true);
        p.addProperty("optimizeForSpeed", format.equals("jpeg"));
        JsonObject clip = new JsonObject();
        clip.addProperty("x", 0);
        clip.addProperty("y", 0);
        clip.addProperty("width", width);
        clip.addProperty("height", height);
        clip.addProperty("scale", 1);
        p.add("clip", clip);
        JsonObject r = cdp.send("Page.captureScreenshot", p);
        return Base64.getDecoder().decode(r.get("data").getAsString());
    }

    /** Runtime.evaluate returning the JSON value; page errors thrown as "HFR:CODE:msg" keep their code. */
    private JsonElement evaluate(String expression) {
        return evaluate(expression, false);
    }

    private JsonElement evaluateAwait(String expression) {
        return evaluate(expression, true);
    }

    private JsonElement evaluate(String expression, boolean awaitPromise) {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        p.addProperty("awaitPromise", awaitPromise);
        JsonObject r = cdp.send("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            JsonObject ex = r.getAsJsonObject("exceptionDetails");
            String text = ex.has("exception") && ex.getAsJsonObject("exception").has("description")
                    ? ex.getAsJsonObject("exception").get("description").getAsString()
                    : ex.get("text").getAsString();
            Matcher m = HFR_ERROR.matcher(text);
            if (m.find()) {
                String msg = m.group(2);
                throw new RenderException(ErrorCode.fromName(m.group(1)), msg + " in " + entryPath);
            }
            throw new RenderException(ErrorCode.CAPTURE_FAILED, "page script failed in " + entryPath + ": "
                    + firstLine(text));
        }
        JsonObject result = r.getAsJsonObject("result");
        return result.get("value");
    }

    private static String firstLine(String s) {
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
        watchdog.shutdownNow();
        shutdownBrowser();
        if (server != null) {
            server.close();
        }
    }

    /** Internal signal: beginFrame cannot be trusted on this page any more. */
    private static final class BeginFrameFailure extends RuntimeException {
        BeginFrameFailure(String message) {
            super(message);
        }
    }
}
