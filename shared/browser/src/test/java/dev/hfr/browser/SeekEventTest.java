package dev.hfr.browser;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HyperFrames' canvas adapter contract: every seek sets window.__hfThreeTime and dispatches 'hf-seek' with the
 * time, and the frame waits for the promises given to detail.waitUntil (HyperFrames' three-boundary-deferred
 * draws its WebGL cube that way; it stayed still in ours).
 */
@Tag("integration")
class SeekEventTest {
    @TempDir
    Path tmp;

    @Test
    void canvasDrawnOnHfSeekFollowsTheFrameTime() {
        Path site = TestSites.copy("seekevent", tmp);
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 10)) {
            for (int frame : new int[] {15, 5, 0, 12}) {
                double t = frame / 10.0;
                int level = (int) Math.round(100 * t);
                BufferedImage img = TestSites.decode(page.captureFrame(frame, "png", 0));
                int[] canvas = TestSites.patch(img, 16, 16, 8);
                assertTrue(TestSites.near(canvas, level, 0, 255, 2), "frame " + frame + " hf-seek canvas: "
                        + TestSites.rgb(canvas));
                int[] three = TestSites.patch(img, 56, 16, 8);
                assertTrue(TestSites.near(three, 0, level, 0, 2), "frame " + frame + " __hfThreeTime: "
                        + TestSites.rgb(three));
                int[] late = TestSites.patch(img, 96, 16, 8);
                assertTrue(TestSites.near(late, 0, 0, level, 2), "frame " + frame + " waitUntil: "
                        + TestSites.rgb(late));
            }
        }
    }
}
