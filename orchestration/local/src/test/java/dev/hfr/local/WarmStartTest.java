package dev.hfr.local;

import dev.hfr.browser.internal.ChromiumProcess;
import dev.hfr.ffmpeg.MediaProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static dev.hfr.local.RenderHarness.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local mode starts one browser per worker and no more: the plan's probe page goes on to render the first chunk
 * (moved to the chunk's copy of the site), and the other workers' browsers start while the plan runs. Before,
 * the probe's browser was thrown away and every worker started its own after the plan (workers + 1 browsers).
 * The frames stay right: the red box is at the left in frame 0 and at the right in the last frame of each chunk.
 */
@Tag("integration")
class WarmStartTest {
    @TempDir
    Path tmp;

    private Path project() throws Exception {
        return Compositions.write(tmp.resolve("project"), Compositions.page(
                "data-composition-id=\"warm\" data-width=\"320\" data-height=\"180\" data-start=\"0\" data-duration=\"1\"",
                "<div id=\"box\" class=\"abs\" style=\"left:0;top:60px;width:40px;height:40px;background:#f00\"></div>",
                "window.__timelines = window.__timelines || {}; var tl = gsap.timeline({paused: true});"
                        + " tl.to('#box', {x: 280, duration: 1, ease: 'none'}); window.__timelines.warm = tl;"));
    }

    private LocalRenderSummary render(Path project, String name, int workers) throws Exception {
        Path out = tmp.resolve(name + ".mp4");
        LocalRenderSummary s = new LocalRenderer(RenderHarness.options(tmp.resolve("work-" + name))).render(
                new LocalRenderRequest(project.toString(), out.toString(), config(30, "mp4", null), workers, null,
                        false), RenderProgress.NONE);
        assertEquals(30, MediaProbe.frameCount(FFMPEG, out));
        int[] first = ContractRenderTest.rgb(Compositions.frame(out, 0, tmp), 20, 80);
        assertTrue(first[0] > 180 && first[1] < 80, "frame 0: box at the left " + java.util.Arrays.toString(first));
        int[] last = ContractRenderTest.rgb(Compositions.frame(out, 29, tmp), 20 + 271, 80);
        assertTrue(last[0] > 180 && last[1] < 80, "frame 29: box at the right " + java.util.Arrays.toString(last));
        return s;
    }

    @Test
    void oneWorkerStartsOneBrowser() throws Exception {
        Path project = project();
        long before = ChromiumProcess.started();
        LocalRenderSummary s = render(project, "one", 1);
        assertTrue(s.plan().chunkCount() >= 2, "several chunks, all on the one worker: " + s.plan().chunkCount());
        assertEquals(1, ChromiumProcess.started() - before, "the probe's browser renders every chunk");
    }

    @Test
    void twoWorkersStartTwoBrowsers() throws Exception {
        Path project = project();
        long before = ChromiumProcess.started();
        LocalRenderSummary s = render(project, "two", 2);
        assertTrue(s.plan().chunkCount() >= 2, "one chunk or more per worker: " + s.plan().chunkCount());
        int[] seam = ContractRenderTest.rgb(Compositions.frame(tmp.resolve("two.mp4"), 15, tmp), 20 + 145, 80);
        assertTrue(seam[0] > 180 && seam[1] < 80, "frame 15: box in the middle "
                + java.util.Arrays.toString(seam));
        assertEquals(2, ChromiumProcess.started() - before, "probe browser for chunk 0, one started during the plan");
    }
}
