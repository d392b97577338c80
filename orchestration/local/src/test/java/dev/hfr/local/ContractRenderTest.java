package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.ffmpeg.PsnrResult;
import dev.hfr.ffmpeg.Quality;
import dev.hfr.model.RenderConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our own composition exercising each contract point, rendered in one pass and in four chunks:
 * variables, clip windows with a relative data-start, a video element with a media offset, audio with
 * offset and volume, and Math.random seeded per frame.
 */
@Tag("integration")
class ContractRenderTest {
    @TempDir
    static Path tmp;
    static Path single;
    static Path chunked;
    static LocalRenderSummary singleSummary;

    @BeforeAll
    static void render() throws Exception {
        Path project = Compositions.contract(tmp.resolve("contract"));
        single = tmp.resolve("single.mp4");
        chunked = tmp.resolve("chunked.mp4");
        singleSummary = RenderHarness.render(project, single, config(60), tmp.resolve("work"));
        RenderHarness.render(project, chunked, config(15), tmp.resolve("work"));
    }

    static RenderConfig config(int chunkSize) {
        return new RenderConfig(30, null, null, "mp4", null, null, null, null, chunkSize, null, null, null, null,
                Map.of("boxColor", "#0000ff"), null, null, null, null, null);
    }

    static BufferedImage frame(Path video, int n) throws Exception {
        return Compositions.frame(video, n, tmp);
    }

    static int[] rgb(BufferedImage img, int x, int y) {
        return Compositions.rgb(img, x, y);
    }

    static void assertColor(int[] expected, int[] actual, String what) {
        for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) < 40, what + ": expected ~" + java.util.Arrays.toString(expected)
                    + " got " + java.util.Arrays.toString(actual));
        }
    }

    @Test
    void variablesOverrideTheSchemaDefault() throws Exception {
        assertColor(new int[]{0, 0, 255}, rgb(frame(single, 5), 30, 30), "varbox colour from --var boxColor");
    }

    @Test
    void clipWindowsFollowRelativeStarts() throws Exception {
        BufferedImage f5 = frame(single, 5);      // t = 0.17 s: a visible, b not yet
        BufferedImage f35 = frame(single, 35);    // t = 1.17 s: a gone, b ("a + 0.5" = 1.0 s) visible
        assertColor(new int[]{0, 255, 0}, rgb(f5, 80, 30), "clip a at 0.17 s");
        assertColor(new int[]{0, 0, 0}, rgb(f5, 130, 30), "clip b before its start");
        assertColor(new int[]{0, 0, 0}, rgb(f35, 80, 30), "clip a after its window");
        assertColor(new int[]{255, 255, 0}, rgb(f35, 130, 30), "clip b at 1.17 s");
    }

    @Test
    void videoShowsOnlyInsideItsWindow() throws Exception {
        BufferedImage before = frame(single, 5);
        BufferedImage during = frame(single, 35);
        int lit = 0;
        for (int x = 170; x < 310; x += 10) {
            for (int y = 100; y < 170; y += 10) {
                int[] c = rgb(during, x, y);
                if (c[0] + c[1] + c[2] > 150) {
                    lit++;
                }
                assertColor(new int[]{0, 0, 0}, rgb(before, x, y), "video area before data-start");
            }
        }
        assertTrue(lit > 20, "testsrc2 video should be visible at 1.17 s, lit samples: " + lit);
    }

    @Test
    void audioStartsAtItsOffsetWithItsVolume() {
        assertTrue(singleSummary.plan().hasAudio());
        double before = Quality.audioRmsDbfs(FFMPEG, single, 0.0, 0.45);
        double during = Quality.audioRmsDbfs(FFMPEG, single, 0.6, 1.2);
        assertTrue(before < -60, "silence before data-start, got " + before + " dBFS");
        // ffmpeg's sine is 1/8 full scale (-21 dBFS RMS); volume 0.5 takes 6 dB more
        assertEquals(-27.1, during, 1.5, "tone level with data-volume 0.5");
    }

    @Test
    void chunkedRenderEqualsSinglePassIncludingRandomnessAndAudio() {
        PsnrResult p = Quality.psnr(FFMPEG, single, chunked);
        assertEquals(60, p.framesCompared());
        assertTrue(p.meanDb() >= 45 && p.minDb() >= 40, "chunked vs single: " + p);
        double residual = Quality.audioResidualDbfs(FFMPEG, single, chunked);
        assertTrue(residual <= -50, "audio residual " + residual + " dBFS");
    }
}
