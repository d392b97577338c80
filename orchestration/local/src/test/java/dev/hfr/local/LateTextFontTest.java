package dev.hfr.local;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static dev.hfr.local.RenderHarness.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text a script creates only when the timeline reaches it, in a weight nothing on the page used before (the
 * caption track of HyperFrames' style-7-prod: Inter 300, built line by line): its font face must already be
 * loaded, or with font-display: block the caption is invisible in the captured frame.
 */
@Tag("integration")
class LateTextFontTest {
    @TempDir
    Path tmp;

    @Test
    void textCreatedByTheTimelineInAnUnusedWeightIsDrawn() throws Exception {
        String body = "<div id=\"cap\" class=\"abs\" style=\"left:10px;top:60px;width:300px;color:#fff;"
                + "font-family:Helvetica,Arial,sans-serif;font-weight:300;font-size:28px\"></div>";
        String script = """
                window.__timelines = window.__timelines || {};
                const tl = gsap.timeline({ paused: true });
                tl.call(() => {
                  const line = document.createElement("span");
                  line.textContent = "LATE CAPTION";
                  document.getElementById("cap").appendChild(line);
                }, null, 0.5);
                tl.to({}, { duration: 1 }, 0);
                window.__timelines.late = tl;
                """;
        Path project = Compositions.write(tmp.resolve("late"), Compositions.page(
                "data-composition-id=\"late\" data-width=\"320\" data-height=\"180\" data-start=\"0\" data-duration=\"1\"",
                body, script));
        Path out = tmp.resolve("late.mp4");
        LocalRenderSummary s = RenderHarness.render(project, out, config(30, "mp4", null), tmp.resolve("work"));
        assertEquals(30, s.plan().totalFrames());
        // the first frame with the caption: it must be drawn there already, not a few frames later
        BufferedImage f = Compositions.frame(out, 16, tmp);
        int white = 0;
        for (int y = 55; y < 110; y++) {
            for (int x = 5; x < 315; x++) {
                int p = f.getRGB(x, y);
                if (((p >> 16) & 255) > 180 && ((p >> 8) & 255) > 180 && (p & 255) > 180) {
                    white++;
                }
            }
        }
        assertTrue(white > 150, "the late caption is drawn in its first frame: " + white + " white pixels");
    }
}
