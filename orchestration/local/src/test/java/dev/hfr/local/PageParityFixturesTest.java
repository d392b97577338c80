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
}
