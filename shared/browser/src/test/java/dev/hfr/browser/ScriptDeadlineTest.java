package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 4: a script that never returns (at load, or once the timeline is seeked past 0.5 s) ends the
 * load or the frame within its deadline with COMPOSITION_SCRIPT_TIMEOUT, and leaves no browser process.
 */
@Tag("integration")
class ScriptDeadlineTest {
    private static final BrowserOptions SHORT = BrowserOptions.defaults()
            .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2))
            .withFrameTimeout(Duration.ofSeconds(2));

    @TempDir
    Path tmp;

    private static List<ProcessHandle> chromiumDescendants() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().orElse("").contains("chrom"))
                .toList();
    }

    /** Every process of ours: the browser tree and Playwright's driver. */
    private static List<ProcessHandle> allDescendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    }

    private static List<String> anyLeftSince(List<ProcessHandle> before) {
        return allDescendants().stream().filter(h -> !before.contains(h))
                .map(h -> h.pid() + " " + h.info().command().orElse("")).toList();
    }

    private static List<String> leftSince(List<ProcessHandle> before) {
        return chromiumDescendants().stream().filter(h -> !before.contains(h))
                .map(h -> h.pid() + " " + h.info().command().orElse("")).toList();
    }

    @Test
    void endlessLoopAtLoadEndsTheLoadWithinTheDeadline() {
        Path site = TestSites.copy("hang", tmp);
        List<ProcessHandle> before = chromiumDescendants();
        List<ProcessHandle> all = allDescendants();
        long start = System.nanoTime();
        RenderException e = assertThrows(RenderException.class,
                () -> CompositionPage.open(SHORT, site, "at-load.html", TestSites.W, TestSites.H, 30).close());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorCode.COMPOSITION_SCRIPT_TIMEOUT, e.code(), e.getMessage());
        assertTrue(e.getMessage().startsWith("a script in at-load.html kept the page busy for more than 5 s while "
                + "loading"), e.getMessage());
        assertTrue(!e.code().retryable(), "an endless loop is the project's, never retried");
        // browser start (a few seconds on a loaded machine) + 3 s ready deadline + 2 s slack
        assertTrue(millis < 20_000, "took " + millis + " ms");
        assertEquals(List.of(), leftSince(before));
        assertEquals(List.of(), anyLeftSince(all), "the Playwright driver ends too");
    }

    @Test
    void endlessLoopOnceSeekedPastHalfASecondEndsThatFrame() {
        Path site = TestSites.copy("hang", tmp);
        List<ProcessHandle> before = chromiumDescendants();
        List<ProcessHandle> all = allDescendants();
        try (CompositionPage page = CompositionPage.open(SHORT, site, "on-seek.html", TestSites.W, TestSites.H, 30)) {
            assertEquals(2.0, page.probe().durationSeconds());
            // frames up to 0.5 s render normally
            assertTrue(TestSites.decode(page.captureFrame(3, "png", 100)).getWidth() == TestSites.W);
            long start = System.nanoTime();
            RenderException e = assertThrows(RenderException.class, () -> page.captureFrame(20, "png", 100));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ErrorCode.COMPOSITION_SCRIPT_TIMEOUT, e.code(), e.getMessage());
            assertEquals("a script in on-seek.html kept the page busy for more than 4 s while seeking and capturing"
                    + " frame 20 (t = 0.667 s) (an endless loop?); the browser was stopped", e.getMessage());
            // 2 s frame deadline + 2 s slack + the kill
            assertTrue(millis < 8_000, "took " + millis + " ms");
            assertEquals(List.of(), leftSince(before), "the hung browser is killed, not left for close()");
            // the page is dead: the next frame fails at once with the same code instead of hanging again
            long again = System.nanoTime();
            RenderException next = assertThrows(RenderException.class, () -> page.captureFrame(0, "png", 100));
            assertEquals(ErrorCode.COMPOSITION_SCRIPT_TIMEOUT, next.code());
            assertTrue((System.nanoTime() - again) / 1_000_000 < 1_000);
        }
        assertEquals(List.of(), leftSince(before));
        assertEquals(List.of(), anyLeftSince(all), "the Playwright driver ends too");
    }
}
