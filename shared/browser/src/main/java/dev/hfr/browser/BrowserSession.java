package dev.hfr.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import dev.hfr.browser.internal.BrowserSandbox;
import dev.hfr.browser.internal.ChromiumProcess;
import dev.hfr.browser.internal.PlaywrightDriver;
import dev.hfr.browser.internal.SiteServer;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.FileTrees;
import dev.hfr.model.RenderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A started browser that no page has used yet, or the one under a {@link CompositionPage}: the loopback site
 * server, the Chromium process (its network block lets only that server through), and the Playwright
 * connection with the route that records blocked requests.
 *
 * <p>Starting one costs about a second (Chromium, the Playwright driver, the CDP connection) and needs only the
 * viewport size, not the composition: local mode starts its workers' sessions while the plan still runs and
 * opens the composition in them later ({@link CompositionPage#open(BrowserSession, Path, String, int)}). Like
 * everything Playwright, a session is used by one thread at a time; handing it to another thread needs a
 * happens-before edge (a queue, a future).
 */
public final class BrowserSession implements AutoCloseable {
    private final BrowserOptions options;
    private final int width;
    private final int height;
    private final SiteServer server;
    private final Path emptySite;
    private final List<String> blocked = new CopyOnWriteArrayList<>();
    /** Read by the page watchdog thread, which kills the process at a hard deadline. */
    private volatile ChromiumProcess chromium;
    private Playwright playwright;
    private Browser browser;
    private BrowserContext context;
    private boolean beginFrame;
    private boolean used;
    private boolean closed;

    private BrowserSession(BrowserOptions options, int width, int height, SiteServer server, Path emptySite) {
        this.options = options;
        this.width = width;
        this.height = height;
        this.server = server;
        this.emptySite = emptySite;
    }

    /**
     * Starts a browser for pages of {@code width x height}, in begin-frame mode unless the options force
     * screenshot capture. Its site server serves nothing until a page is opened in it.
     */
    public static BrowserSession start(BrowserOptions options, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "page size " + width + "x" + height
                    + ": expected positive width and height");
        }
        return start(options, width, height, null);
    }

    static BrowserSession start(BrowserOptions options, int width, int height, Path siteRoot) {
        Path empty = null;
        SiteServer server = null;
        try {
            if (siteRoot == null) {
                empty = Files.createTempDirectory("hfr-site-");
            }
            server = SiteServer.start(siteRoot != null ? siteRoot : empty);
        } catch (IOException e) {
            FileTrees.deleteQuietly(empty);
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "cannot serve " + siteRoot + ": " + e.getMessage(), e);
        }
        BrowserSession s = new BrowserSession(options, width, height, server, empty);
        try {
            s.launch(!options.forceScreenshot());
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw RenderException.wrap(e);
        }
    }

    /** True when a page of this size can be opened here: the browser runs and no page has used it yet. */
    public boolean fits(int width, int height) {
        ChromiumProcess c = chromium;
        return !used && !closed && this.width == width && this.height == height && c != null && c.isAlive();
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Marks the session as taken by a page; a session serves one page in its life. */
    void claim() {
        if (used || closed) {
            throw new IllegalStateException("browser session already used");
        }
        used = true;
    }

    /** Serves {@code siteRoot} from now on (same origin: a loaded page keeps working on the new copy). */
    void serve(Path siteRoot) {
        try {
            server.reroot(siteRoot);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "cannot serve " + siteRoot + ": " + e.getMessage(), e);
        }
    }

    SiteServer server() {
        return server;
    }

    BrowserOptions options() {
        return options;
    }

    BrowserContext context() {
        return context;
    }

    Browser browser() {
        return browser;
    }

    boolean beginFrame() {
        return beginFrame;
    }

    ChromiumProcess chromium() {
        return chromium;
    }

    List<String> blocked() {
        return List.copyOf(blocked);
    }

    boolean alive() {
        ChromiumProcess c = chromium;
        return c != null && c.isAlive();
    }

    String stderrTail() {
        ChromiumProcess c = chromium;
        return c == null ? "" : c.stderrTail();
    }

    /** Kills the browser process tree (any thread: the page watchdog's hard deadline). */
    void kill() {
        ChromiumProcess c = chromium;
        if (c != null) {
            c.close();
        }
    }

    /**
     * Restarts Chromium with or without the begin-frame flags on the same site server (a browser started with
     * --enable-begin-frame-control does not paint on its own, so the screenshot fallback needs a new one).
     */
    void relaunch(boolean beginFrame) {
        shutdownBrowser();
        launch(beginFrame);
    }

    /** Starts Chromium (with or without the begin-frame flags) and connects Playwright. */
    private void launch(boolean beginFrame) {
        this.beginFrame = beginFrame;
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
        try {
            env.put("TMPDIR", PlaywrightDriver.tempDir().toString());
        } catch (IOException e) {
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "cannot create a temp dir for the Playwright"
                    + " driver: " + e, e);
        }
        PlaywrightDriver.ensureInstalled();
        try {
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
            browser = playwright.chromium().connectOverCDP(chromium.wsUrl());
        } catch (PlaywrightException e) {
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "cannot connect to " + exe + ": "
                    + CompositionPage.firstLine(e.getMessage()) + "\n" + RenderException.tail(chromium.stderrTail(), 5), e);
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
    }

    private void shutdownBrowser() {
        ChromiumProcess c = chromium;
        if (c != null) {
            c.close();
            chromium = null;
        }
        if (browser != null) {
            // with the browser already gone this returns at once, and it lets the driver remove its
            // playwright-artifacts-* folder (PlaywrightDriver.tempDir removes what it did not)
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
                // the driver may already be gone; the process kill above is what matters
            }
            playwright = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdownBrowser();
        server.close();
        FileTrees.deleteQuietly(emptySite);
    }
}
