package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 4, end to end: a project whose script never returns fails the plan (loop at load) or the chunk
 * (loop once seeked past 0.5 s) within the browser's deadlines with COMPOSITION_SCRIPT_TIMEOUT, is not retried,
 * writes no output and leaves no browser process.
 */
@Tag("integration")
class ScriptDeadlineRenderTest {
    private static final BrowserOptions SHORT = BrowserOptions.defaults()
            .withTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(2))
            .withFrameTimeout(Duration.ofSeconds(3));
    private static final String ROOT = "data-composition-id=\"hang\" data-width=\"320\" data-height=\"180\""
            + " data-start=\"0\" data-duration=\"1\"";

    @TempDir
    Path tmp;

    private static List<ProcessHandle> chromium() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().orElse("").contains("chrom")).toList();
    }

    private RenderException renderFails(Path project, long boundMillis) throws Exception {
        Path out = tmp.resolve("out.mp4");
        List<ProcessHandle> before = chromium();
        LocalRenderer renderer = new LocalRenderer(RenderHarness.options(tmp.resolve("work"), SHORT));
        long start = System.nanoTime();
        RenderException e = assertThrows(RenderException.class, () -> renderer.render(new LocalRenderRequest(
                project.toString(), out.toString(), RenderConfig.of(30, "mp4"), 1, null, false), RenderProgress.NONE));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < boundMillis, "took " + millis + " ms: " + e.getMessage());
        assertFalse(Files.exists(out), "no output may appear after a failed render");
        assertEquals(List.of(), chromium().stream().filter(h -> !before.contains(h))
                .map(h -> h.pid() + " " + h.info().command().orElse("")).toList(), "browser processes left");
        return e;
    }

    @Test
    void endlessLoopAtLoadFailsThePlan() throws Exception {
        Path p = Compositions.write(tmp.resolve("at-load"), Compositions.page(ROOT, "",
                "window.__timelines = {hang: gsap.timeline({paused: true}).to('#root', {opacity: 0.5, duration: 1})};"
                        + " while (true) {}"));
        RenderException e = renderFails(p, 30_000);
        assertEquals(ErrorCode.COMPOSITION_SCRIPT_TIMEOUT, e.code(), e.getMessage());
        assertTrue(e.getMessage().startsWith("a script in index.html kept the page busy for more than 6 s while loading"),
                e.getMessage());
    }

    @Test
    void endlessLoopOnceSeekedPastHalfASecondFailsTheChunk() throws Exception {
        Path p = Compositions.write(tmp.resolve("on-seek"), Compositions.page(ROOT, "",
                "const tl = gsap.timeline({paused: true, onUpdate: () => { if (tl.time() > 0.5) { while (true) {} } }});"
                        + " tl.to('#root', {opacity: 0.5, duration: 1}); window.__timelines = {hang: tl};"));
        // plan (one browser start + load) + frames up to 0.5 s + 3 s frame deadline + 2 s slack; no retry
        RenderException e = renderFails(p, 40_000);
        assertEquals(ErrorCode.COMPOSITION_SCRIPT_TIMEOUT, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("a script in index.html kept the page busy for more than 5 s while seeking"
                + " and capturing frame 16 (t = 0.533 s)"), e.getMessage());
    }
}
