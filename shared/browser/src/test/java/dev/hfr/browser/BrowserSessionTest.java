package dev.hfr.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A browser started before the composition is known (local mode starts its workers' browsers while the plan
 * runs), and a loaded page moved to another copy of its site (the plan's probe page going on as the first
 * chunk's): both render the same pixels as a page opened the usual way.
 */
@Tag("integration")
class BrowserSessionTest {
    @TempDir
    Path tmp;

    @Test
    void aPageInABrowserStartedOnAnotherThreadEqualsAFreshPage() throws Exception {
        Path site = TestSites.copy("counter", tmp);
        int[] usual;
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            usual = TestSites.pixels(TestSites.decode(page.captureFrame(17, "png", 0)));
        }
        BrowserSession session = CompletableFuture.supplyAsync(() -> BrowserSession.start(TestSites.options(),
                TestSites.W, TestSites.H)).get(60, TimeUnit.SECONDS);
        assertTrue(session.fits(TestSites.W, TestSites.H));
        assertFalse(session.fits(TestSites.W * 2, TestSites.H), "a session fits only its own size");
        try (CompositionPage page = CompositionPage.open(session, site, "index.html", 30)) {
            assertFalse(session.fits(TestSites.W, TestSites.H), "a session serves one page");
            assertEquals("main", page.probe().compositionId());
            assertArrayEquals(usual, TestSites.pixels(TestSites.decode(page.captureFrame(17, "png", 0))));
        }
    }

    @Test
    void aPageMovedToAnotherCopyOfItsSiteServesFromThereAndRendersTheSame() throws Exception {
        Path first = TestSites.copy("counter", tmp.resolve("a"));
        Path second = TestSites.copy("counter", tmp.resolve("b"));
        try (CompositionPage page = CompositionPage.open(TestSites.options(), first, "index.html", TestSites.W,
                TestSites.H, 30)) {
            int[] before = TestSites.pixels(TestSites.decode(page.captureFrame(9, "png", 0)));
            page.moveTo(second);
            dev.hfr.model.FileTrees.deleteQuietly(first);
            assertFalse(java.nio.file.Files.exists(first));
            page.captureFrame(40, "png", 0);
            assertArrayEquals(before, TestSites.pixels(TestSites.decode(page.captureFrame(9, "png", 0))));
            assertTrue(page.renders("index.html", TestSites.W, TestSites.H, 30));
            assertFalse(page.renders("index.html", TestSites.W, TestSites.H, 60));
            RenderException e = assertThrows(RenderException.class, () -> page.moveTo(tmp.resolve("missing")));
            assertEquals(ErrorCode.ENTRY_FILE_NOT_FOUND, e.code());
        }
    }
}
