package dev.hfr.engine.chunk;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.browser.CompositionPage;

import java.nio.file.Path;

/**
 * One open composition page per worker thread, reused by the next chunk of the same plan: a browser
 * start and page load cost about a second, and since every frame is a pure function of its time
 * (the page runtime guarantees it), reusing the page cannot change a frame. Playwright is not
 * thread-safe, hence per thread.
 */
final class PageCache {
    private record Key(Path site, int width, int height, int fps) {
    }

    private record Entry(Key key, CompositionPage page) {
    }

    private final BrowserOptions options;
    private final ThreadLocal<Entry> current = new ThreadLocal<>();

    PageCache(BrowserOptions options) {
        this.options = options;
    }

    CompositionPage get(Path site, int width, int height, int fps) {
        Key key = new Key(site, width, height, fps);
        Entry e = current.get();
        if (e != null && e.key.equals(key)) {
            return e.page;
        }
        close();
        CompositionPage page = CompositionPage.open(options, site, "index.html", width, height, fps);
        current.set(new Entry(key, page));
        return page;
    }

    /** Drops the page after a failure so a retry starts from a fresh browser. */
    void discard() {
        close();
    }

    void close() {
        Entry e = current.get();
        current.remove();
        if (e != null) {
            try {
                e.page.close();
            } catch (RuntimeException ignored) {
                // closing a crashed browser
            }
        }
    }
}
