package dev.hfr.local;

import dev.hfr.testsupport.RequiresSharedFixtures;

import org.junit.jupiter.api.Tag;

import static dev.hfr.local.RenderHarness.fixture;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.engine.preview.PreviewService;
import dev.hfr.model.RenderConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HyperFrames production compositions (../shared fixtures) whose sub-compositions build their layers
 * with their own scripts while the root script, last in the file, resets {@code window.__timelines = {}}:
 * they were refused with TIMELINE_NOT_REGISTERED. Each frame is prepared as the plan prepares it (the
 * preview path is the plan's), with remote a-roll media left blank.
 */
@Tag("integration")
@RequiresSharedFixtures
class PageParityFixturesTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} frame {1}: caption pixels in {2},{3} .. {4},{5}")
    @CsvSource({
            // "47 PERCENT SAID MOTION GRAPHICS", white letters on black, at 3 s
            "style-7-prod, 90, 300, 970, 1620, 1000, white, 2000",
            // "PERCENT" in red under "FORTY-SEVEN", at 3 s (portrait)
            "style-15-prod, 90, 100, 1610, 650, 1730, red, 2000"})
    void captionLayerBuiltByItsScriptIsDrawn(String name, int frame, int x0, int y0, int x1, int y1, String color,
            int minPixels) throws Exception {
        RenderConfig config = new RenderConfig(30, null, null, "mp4", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, true);
        byte[] png = new PreviewService(RenderHarness.options(tmp.resolve("work"))).previewFrame(
                fixture(name).toString(), config, frame);
        BufferedImage f = ImageIO.read(new ByteArrayInputStream(png));
        int count = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int p = f.getRGB(x, y);
                int r = (p >> 16) & 255;
                int g = (p >> 8) & 255;
                int b = p & 255;
                boolean hit = color.equals("red") ? r > 150 && g < 80 && b < 100 : r > 200 && g > 200 && b > 200;
                if (hit) {
                    count++;
                }
            }
        }
        assertTrue(count >= minPixels, name + ": " + count + " " + color + " caption pixels, expected >= " + minPixels);
    }

    /**
     * three-boundary-deferred (10 fps) draws its WebGL cube in an 'hf-seek' listener from window.__hfThreeTime,
     * HyperFrames' canvas adapter contract: at 0.5 s the cube has turned (x by pi/2, y by pi/4), so the frame
     * differs from frame 0 over the cube. Without the event both frames were the same still cube.
     */
    @org.junit.jupiter.api.Test
    void canvasDrawnOnHfSeekTurnsWithTheFrameTime() throws Exception {
        RenderConfig config = new RenderConfig(10, null, null, "mp4", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, true);
        PreviewService preview = new PreviewService(RenderHarness.options(tmp.resolve("work")));
        String project = fixture("three-boundary-deferred").toString();
        BufferedImage a = ImageIO.read(new ByteArrayInputStream(preview.previewFrame(project, config, 0)));
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(preview.previewFrame(project, config, 5)));
        int differing = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                int d = Math.max(Math.abs(((p >> 16) & 255) - ((q >> 16) & 255)),
                        Math.max(Math.abs(((p >> 8) & 255) - ((q >> 8) & 255)), Math.abs((p & 255) - (q & 255))));
                if (d > 30) {
                    differing++;
                }
            }
        }
        assertTrue(differing > 500, "frames 0 and 5 differ in " + differing + " pixels: the cube did not turn");
    }
}
