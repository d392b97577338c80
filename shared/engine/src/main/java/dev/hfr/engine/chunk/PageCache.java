package dev.hfr.engine.chunk;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.browser.BrowserSession;
import dev.hfr.browser.CompositionPage;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One open composition page per worker thread, reused by the next chunk of the same plan: a browser
 * start and page load cost about a second, and since every frame is a pure function of its time
 * (the page runtime guarantees it), reusing the page cannot change a frame. Playwright is not
 * thread-safe, hence per thread.
 *
 * <p>Warm pool (local mode): a page loaded elsewhere (the plan's probe page) and browsers started while the plan
 * ran wait here; a thread without a page of its own takes a fitting one before starting a browser. The queues
 * give the hand-over its happens-before edge; a page or browser that fits no chunk is closed.
 */
final class PageCache {
    private static final String ENTRY = "index.html";
    /** Chromium's own start deadline is 30 s; past this a pre-started browser is given up. */
    private static final long START_WAIT_SECONDS = 45;

    private record Key(Path site, int width, int height, int fps) {
    }

    private record Entry(Key key, CompositionPage page) {
    }

    /** A loaded page of the plan with this hash (the same content the chunk's copy of the site has). */
    private record WarmPage(String planHash, CompositionPage page) {
    }

    private final BrowserOptions options;
    private final ThreadLocal<Entry> current = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<WarmPage> warmPages = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<BrowserSession>> warmBrowsers = new ConcurrentLinkedQueue<>();

    PageCache(BrowserOptions options) {
        this.options = options;
    }

    /** The calling thread's page for {@code site} (a materialised copy of the plan {@code planHash}). */
    CompositionPage get(Path site, String planHash, int width, int height, int fps) {
        Key key = new Key(site, width, height, fps);
        Entry e = current.get();
        if (e != null && e.key.equals(key)) {
            return e.page;
        }
        close();
        CompositionPage page = takeWarm(site, planHash, width, height, fps);
        current.set(new Entry(key, page));
        return page;
    }

    /** Which page a chunk renders with, most prepared first: a loaded one, a started browser, a new browser. */
    private CompositionPage takeWarm(Path site, String planHash, int width, int height, int fps) {
        for (WarmPage w; (w = warmPages.poll()) != null; ) {
            if (w.planHash.equals(planHash) && w.page.renders(ENTRY, width, height, fps)) {
                try {
                    w.page.moveTo(site);
                    return w.page;
                } catch (RuntimeException ex) {
                    // a page that cannot go on is no reason to fail the chunk: the next option opens it anew
                    closeQuietly(w.page);
                }
            } else {
                closeQuietly(w.page);
            }
        }
        for (CompletableFuture<BrowserSession> f; (f = warmBrowsers.poll()) != null; ) {
            BrowserSession s = startedOrNull(f);
            if (s != null && s.fits(width, height)) {
                return CompositionPage.open(s, site, ENTRY, fps);
            }
            if (s != null) {
                s.close();
            }
        }
        return CompositionPage.open(options, site, ENTRY, width, height, fps);
    }

    /** Waits for a browser still starting (a worker gains nothing by starting a second one meanwhile). */
    private static BrowserSession startedOrNull(CompletableFuture<BrowserSession> f) {
        try {
            return f.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.thenAccept(BrowserSession::close);
            return null;
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            // its own start failed or hangs: the chunk starts one itself and reports that failure, if any
            f.thenAccept(BrowserSession::close);
            return null;
        }
    }

    void offer(String planHash, CompositionPage page) {
        warmPages.add(new WarmPage(planHash, page));
    }

    void offer(CompletableFuture<BrowserSession> browser) {
        warmBrowsers.add(browser);
    }

    /** Closes what no chunk took (a browser still starting is closed once started). */
    void closeWarm() {
        for (WarmPage w; (w = warmPages.poll()) != null; ) {
            closeQuietly(w.page);
        }
        for (CompletableFuture<BrowserSession> f; (f = warmBrowsers.poll()) != null; ) {
            f.thenAccept(s -> {
                try {
                    s.close();
                } catch (RuntimeException ignored) {
                    // a crashed browser
                }
            });
        }
    }

    /** Drops the page after a failure so a retry starts from a fresh browser. */
    void discard() {
        close();
    }

    void close() {
        Entry e = current.get();
        current.remove();
        if (e != null) {
            closeQuietly(e.page);
        }
    }

    private static void closeQuietly(CompositionPage page) {
        try {
            page.close();
        } catch (RuntimeException ignored) {
            // closing a crashed browser
        }
    }
}
