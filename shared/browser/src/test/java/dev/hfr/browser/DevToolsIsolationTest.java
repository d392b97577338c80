package dev.hfr.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: frames travel over our own DevTools connection (the JVM to the browser's loopback debugging port),
 * and that port stays out of the page's reach. The page tries the port with a no-cors fetch (which resolves for
 * any answer at all) and with WebSockets to the browser and page endpoints; each attempt draws its outcome, and
 * every one must be refused while the page's own same-origin fetch works. From the JVM, a WebSocket that carries
 * the site's Origin (what a page's WebSocket would send) must be refused too: no {@code --remote-allow-origins}.
 */
@Tag("integration")
class DevToolsIsolationTest {
    private static final List<String> CELLS = List.of("self", "fetch-json", "fetch-version", "ws-browser", "ws-page");

    @TempDir
    Path tmp;

    static String page(String browserWsUrl) {
        String http = browserWsUrl.replaceFirst("^ws://([^/]+)/.*$", "http://$1");
        return ProbePage.html("dt", CELLS, """
                  const HTTP = '%s', WS = '%s';
                  // no-cors: any HTTP answer resolves (opaque); only a refused connection rejects
                  fetch(HTTP + '/json', { mode: 'no-cors' }).then(() => settle('fetch-json', true),
                      () => settle('fetch-json', false));
                  fetch(HTTP + '/json/version', { mode: 'no-cors' }).then(() => settle('fetch-version', true),
                      () => settle('fetch-version', false));
                  function socket(name, url) {
                    try {
                      const ws = new WebSocket(url);
                      ws.onopen = () => settle(name, true);
                      ws.onmessage = () => settle(name, true);
                      ws.onerror = () => settle(name, false);
                    } catch (e) { settle(name, false); }
                  }
                  socket('ws-browser', WS);
                  socket('ws-page', WS.replace('/devtools/browser/', '/devtools/page/'));
                """.formatted(http, browserWsUrl));
    }

    private static CompositionPage openDirect(BrowserSession session, Path site) {
        try {
            return CompositionPage.open(session, site, "index.html", 30);
        } finally {
            BeginFrameCapture.directCdp(false);
        }
    }

    @Test
    void framesOverOurConnectionEqualTheSameFramesThroughPlaywright() {
        Path site = TestSites.copy("hold", tmp);
        int[][] direct = new int[3][];
        BrowserSession session = BrowserSession.start(TestSites.options(), TestSites.W, TestSites.H);
        BeginFrameCapture.directCdp(true);
        try (CompositionPage page = openDirect(session, site)) {
            assertTrue(page.directCapture(), "beginFrame should go over our own DevTools connection");
            for (int i = 0; i < 3; i++) {
                direct[i] = TestSites.pixels(TestSites.decode(page.captureFrame(i * 4, "png", 0)));
            }
        }
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            assertTrue(!page.directCapture(), "the default goes through Playwright");
            for (int i = 0; i < 3; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(direct[i],
                        TestSites.pixels(TestSites.decode(page.captureFrame(i * 4, "png", 0))),
                        "frame " + (i * 4) + " over our DevTools connection differs from the same frame through Playwright");
            }
        }
    }

    @Test
    void framesComeOverOurConnectionAndThePageCannotReachTheDebuggingPort() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("dt"));
        BrowserOptions options = BrowserOptions.defaults().withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(10));
        BrowserSession session = BrowserSession.start(options, TestSites.W, TestSites.H);
        // the direct path is off by default (slower in wall time, see docs/benchmarks.md): this test opts in
        BeginFrameCapture.directCdp(true);
        String wsUrl = session.chromium().wsUrl();
        try {
            Files.writeString(site.resolve("index.html"), page(wsUrl));
        } catch (java.io.IOException e) {
            session.close();
            throw e;
        }
        BufferedImage frame;
        try (CompositionPage page = openDirect(session, site)) {
            frame = TestSites.decode(page.captureFrame(0, "png", 100));
            assertEquals("beginframe", page.captureMode());
            assertTrue(page.directCapture(), "beginFrame should go over our own DevTools connection");
            int port = page.devtoolsPort();

            // the port is live for us: the refusals below are the page's, not a dead port's
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> version = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/version")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, version.statusCode(), version.body());

            // a WebSocket with a page's Origin is refused (we never set --remote-allow-origins)
            String origin = "http://" + session.server().hostPort();
            ExecutionException refused = null;
            try {
                WebSocket ws = client.newWebSocketBuilder().header("Origin", origin)
                        .buildAsync(URI.create(wsUrl), new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
                ws.abort();
            } catch (ExecutionException e) {
                refused = e;
            }
            assertTrue(refused != null, "a DevTools WebSocket with Origin " + origin + " was accepted");
        }
        assertEquals(ProbePage.onlySelfReached(CELLS), ProbePage.outcomes(frame, CELLS));
    }
}
