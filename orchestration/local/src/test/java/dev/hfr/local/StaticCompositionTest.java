package dev.hfr.local;

import dev.hfr.ffmpeg.MediaProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static dev.hfr.local.RenderHarness.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A composition with no script at all (CSS only, like HyperFrames' wysiwyg-subcomp-css fixture) registers no
 * timeline; HyperFrames renders it static for its data-duration, and so do we, with a plan warning. A page whose
 * scripts registered other timelines but not its own id still fails (PageErrorsTest).
 */
@Tag("integration")
class StaticCompositionTest {
    @TempDir
    Path tmp;

    @Test
    void aCompositionWithoutAnyTimelineRendersStaticForItsDataDuration() throws Exception {
        Path project = tmp.resolve("static");
        Files.createDirectories(project);
        Files.writeString(project.resolve("index.html"), """
                <!doctype html><html><head><meta charset="utf-8"><style>
                html,body{margin:0;width:320px;height:180px;background:#000}
                #box{position:absolute;left:100px;top:50px;width:120px;height:80px;background:#e01010}
                </style></head><body>
                <div id="root" data-composition-id="still" data-width="320" data-height="180" data-start="0" data-duration="1">
                  <div id="box"></div>
                </div></body></html>
                """);
        Path out = tmp.resolve("static.mp4");
        LocalRenderSummary s = RenderHarness.render(project, out, config(30, "mp4", null), tmp.resolve("work"));
        assertEquals(30, s.plan().totalFrames());
        assertEquals(30, MediaProbe.frameCount(FFMPEG, out));
        assertTrue(s.plan().warnings() != null && s.plan().warnings().stream().anyMatch(w -> w.contains("static composition")),
                "the plan says it rendered a static composition: " + s.plan().warnings());
        int[] c = ContractRenderTest.rgb(Compositions.frame(out, 15, tmp), 160, 90);
        assertTrue(c[0] > 180 && c[1] < 70 && c[2] < 70, "the CSS box is drawn: " + java.util.Arrays.toString(c));
    }
}
