package dev.hfr.browser;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.hfr.browser.internal.DevToolsSocket;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Capture on a begin-frame-controlled target: nothing is painted unless we send
 * HeadlessExperimental.beginFrame, and one beginFrame with a screenshot paints and captures the frame.
 *
 * <p>No damage, no capture: a beginFrame that asks for a screenshot always draws and captures (Chromium 156
 * reports damage for it even when nothing changed, measured by {@code NoDamageTest}), so while the picture
 * stands still (the last two captures were the same bytes) a frame first sends a beginFrame without a
 * screenshot; when it reports no damage, nothing is captured (no readback, no JPEG/PNG encode, nothing
 * base64-encoded through the driver) and the previous picture goes to the encoder again. Extra beginFrames are
 * safe: the page runtime runs requestAnimationFrame callbacks once per seek, never per BeginFrame. A stalled beginFrame is ended by closing the target from outside (the
 * DevTools HTTP endpoint) and reported as {@link BeginFrameFailure}, which switches the page to screenshots.
 *
 * <p>Optionally ({@code -Dhfr.capture.directCdp=true}) beginFrame goes over a {@link DevToolsSocket} of our own to
 * the page target, not through Playwright: the screenshot (hundreds of KB of base64 at 1080p) then reaches the JVM
 * without Playwright's Node driver parsing and re-serialising it. Seeks stay on Playwright's session, which also
 * keeps its dispatcher (our request route) running once per frame. If the connection cannot be made, beginFrame
 * goes through Playwright.
 */
final class BeginFrameCapture implements FrameCapture {
    /** {@code -Dhfr.capture.skipNoDamage=false} captures every frame: for paired benchmarks only. */
    private static final boolean SKIP_NO_DAMAGE = !"false".equals(System.getProperty("hfr.capture.skipNoDamage"));
    /**
     * {@code -Dhfr.capture.directCdp=true} sends beginFrame over our own connection: off by default, because paired
     * engine renders were slower in wall time with it (1.10x, docs/benchmarks.md) although it costs less CPU.
     * Tests switch it on with {@link #directCdp(boolean)}.
     */
    private static volatile boolean directCdp = Boolean.getBoolean("hfr.capture.directCdp");
    /** How long after the watchdog's stall timeout a direct beginFrame gives up waiting by itself. */
    private static final Duration DIRECT_BACKSTOP = Duration.ofSeconds(2);
    private final CDPSession cdp;
    private final Page page;
    private final BrowserSession session;
    private final String targetId;
    private final PageWatchdog watchdog;
    private final Duration stallTimeout;
    private final double intervalMillis;
    /** Our own connection to the page target, or null: beginFrame through Playwright. */
    private final DevToolsSocket direct;
    private byte[] lastFrame;
    private String lastFrameKey = "";
    private long withoutDamage;
    /**
     * The last two captures were the same bytes. While it holds, each frame first sends a beginFrame without a
     * screenshot; no damage means the previous picture, damage means a capture as usual (and moving content
     * again). Moving content thus pays nothing extra; a still stretch pays one capture and one beginFrame at its
     * start and one beginFrame at its end.
     */
    private boolean holding;

    BeginFrameCapture(CDPSession cdp, Page page, BrowserSession session, String targetId, PageWatchdog watchdog,
            int fps) {
        this.cdp = cdp;
        this.page = page;
        this.session = session;
        this.targetId = targetId;
        this.watchdog = watchdog;
        this.stallTimeout = session.options().beginFrameStallTimeout();
        this.intervalMillis = 1000.0 / fps;
        try {
            cdp.send("HeadlessExperimental.enable");
        } catch (PlaywrightException ignored) {
            // newer Chromium removed enable(); beginFrame works without it
        }
        this.direct = directCdp ? connectDirect(session, targetId) : null;
    }

    private static DevToolsSocket connectDirect(BrowserSession session, String targetId) {
        try {
            return DevToolsSocket.connect(session.chromium().devtoolsPort(), targetId, Duration.ofSeconds(5));
        } catch (RenderException e) {
            if (e.code() == ErrorCode.INTERRUPTED) {
                throw e;
            }
            System.getLogger(BeginFrameCapture.class.getName()).log(System.Logger.Level.WARNING,
                    "beginFrame goes through Playwright: " + e.getMessage());
            return null;
        }
    }

    /** Pages opened from now on send beginFrame over their own DevTools connection, or through Playwright (tests). */
    static void directCdp(boolean on) {
        directCdp = on;
    }

    /** Whether beginFrame goes over our own DevTools connection (tests). */
    boolean direct() {
        return direct != null;
    }

    @Override
    public void close() {
        if (direct != null) {
            direct.close();
        }
    }

    @Override
    public byte[] capture(String format, int quality) {
        String key = format + ":" + quality;
        boolean samePicture = lastFrame != null && lastFrameKey.equals(key);
        if (holding && samePicture) {
            // a screenshot request always draws and reports damage, so ask first whether anything changed
            JsonObject probe = new JsonObject();
            probe.addProperty("interval", intervalMillis);
            JsonObject r = beginFrame(probe);
            if (r.has("hasDamage") && !r.get("hasDamage").getAsBoolean()) {
                withoutDamage++;
                return lastFrame.clone();
            }
            holding = false;
        }
        JsonObject shot = new JsonObject();
        shot.addProperty("format", format);
        if (format.equals("jpeg")) {
            shot.addProperty("quality", quality);
        }
        shot.addProperty("optimizeForSpeed", format.equals("jpeg"));
        JsonObject p = new JsonObject();
        p.addProperty("interval", intervalMillis);
        p.add("screenshot", shot);
        JsonObject r = beginFrame(p);
        if (r.has("screenshotData")) {
            byte[] frame = Base64.getDecoder().decode(r.get("screenshotData").getAsString());
            // the same bytes twice in a row: the picture stopped changing, so probe for damage from now on
            holding = SKIP_NO_DAMAGE && samePicture && Arrays.equals(frame, lastFrame);
            if (holding) {
                // the frame after a screenshot always reports damage (the capture's own forced draw, measured):
                // one beginFrame now takes it, so the next frame's answer is about the next frame's seek alone
                JsonObject settle = new JsonObject();
                settle.addProperty("interval", intervalMillis);
                beginFrame(settle);
            }
            lastFrame = frame;
            lastFrameKey = key;
            return frame.clone();
        }
        // no damage: the picture is the previous one
        if (samePicture) {
            withoutDamage++;
            return lastFrame.clone();
        }
        throw new BeginFrameFailure("beginFrame returned no screenshot and there is no previous " + format + " frame");
    }

    @Override
    public void pump() {
        JsonObject p = new JsonObject();
        p.addProperty("interval", intervalMillis);
        p.addProperty("noDisplayUpdates", true);
        beginFrame(p);
    }

    @Override
    public String mode() {
        return "beginframe";
    }

    @Override
    public long framesWithoutDamage() {
        return withoutDamage;
    }

    /** Sends beginFrame with a watchdog: a stalled call is ended by closing the target from outside. */
    private JsonObject beginFrame(JsonObject params) {
        AtomicBoolean stalled = new AtomicBoolean();
        int port = session.chromium().devtoolsPort();
        if (stallTimeout.isZero()) {
            // zero means "do not wait at all": treat the call as stalled, through the same recovery path
            stalled.set(true);
            closeTargetFromOutside(port, targetId);
        }
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            stalled.set(true);
            closeTargetFromOutside(port, targetId);
        }, stallTimeout);
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    JsonObject r = send(params);
                    if (stalled.get()) {
                        // the target is being closed from outside (the watchdog, or a zero stall timeout): a call
                        // that still returned must not let the page go on, its next command would find it closed
                        throw new BeginFrameFailure("beginFrame stalled for " + stallTimeout.toMillis() + " ms");
                    }
                    return r;
                } catch (PlaywrightException | DevToolsSocket.CommandFailed e) {
                    // a frame still in flight is transient (HyperFrames retries it the same way)
                    boolean pending = e.getMessage() != null && e.getMessage().contains("Another frame is pending");
                    if (!pending || stalled.get() || attempt >= 4) {
                        throw e;
                    }
                    page.waitForTimeout(25L << attempt);
                }
            }
        } catch (TimeoutException e) {
            closeTargetFromOutside(port, targetId);
            throw new BeginFrameFailure("beginFrame stalled for " + stallTimeout.plus(DIRECT_BACKSTOP).toMillis() + " ms");
        } catch (RenderException e) {
            // our connection is gone: the browser died, or the watchdog closed the stalled target
            if (e.code() == ErrorCode.INTERRUPTED) {
                throw e;
            }
            throw failedCall(e, stalled.get());
        } catch (PlaywrightException | DevToolsSocket.CommandFailed e) {
            throw failedCall(e, stalled.get());
        } finally {
            guard.cancel(false);
        }
    }

    /** What a failed beginFrame call means: the browser died, the watchdog ended a stalled call, or it failed. */
    private RuntimeException failedCall(RuntimeException e, boolean stalled) {
        if (!session.alive()) {
            return new RenderException(ErrorCode.BROWSER_CRASHED, "browser exited during beginFrame: "
                    + RenderException.tail(session.stderrTail(), 5), e);
        }
        if (stalled) {
            return new BeginFrameFailure("beginFrame stalled for " + stallTimeout.toMillis() + " ms");
        }
        return new BeginFrameFailure("beginFrame failed: " + CompositionPage.firstLine(e.getMessage()));
    }

    private JsonObject send(JsonObject params) throws TimeoutException {
        // only a screenshot is worth the detour: pumps and damage probes are a few bytes, and sending them through
        // Playwright keeps its dispatcher (our request route) running while the page loads and polls
        if (direct == null || !params.has("screenshot")) {
            return cdp.send("HeadlessExperimental.beginFrame", params);
        }
        return direct.send("HeadlessExperimental.beginFrame", params, stallTimeout.plus(DIRECT_BACKSTOP));
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
}
