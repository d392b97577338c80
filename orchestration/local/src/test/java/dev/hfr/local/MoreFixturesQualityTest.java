package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.testsupport.RequiresSharedFixtures;

import dev.hfr.ffmpeg.MediaInfo;
import dev.hfr.ffmpeg.MediaProbe;
import dev.hfr.ffmpeg.PsnrResult;
import dev.hfr.ffmpeg.Quality;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static dev.hfr.local.RenderHarness.config;
import static dev.hfr.local.RenderHarness.fixture;
import static dev.hfr.local.RenderHarness.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rest of the HyperFrames fixtures that render offline without remote media: fonts through CSS
 * var(), nested compositions (depth 3, t=0 activation, a future-state set), a portrait frame with an
 * embedded video, and audio that must line up with the picture after assembly.
 */
@Tag("integration")
@RequiresSharedFixtures
class MoreFixturesQualityTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} at {2}-frame chunks")
    @CsvSource({
            "css-var-fonts, 30, 15, 66",
            "nested-subcomp-depth-3, 24, 24, 48",
            "sub-comp-t0, 24, 48, 144",
            "static-volume-future-set, 24, 120, 288",
            "portrait-edge-bleed, 30, 30, 90",
            "audio-mux-parity, 30, 100, 300"})
    void chunkedEqualsSinglePass(String name, int fps, int chunkSize, int frames) throws Exception {
        Path single = tmp.resolve(name + "-single.mp4");
        Path chunked = tmp.resolve(name + "-chunked.mp4");
        LocalRenderSummary s1 = render(fixture(name), single, config(fps, "mp4", frames), tmp.resolve("work"));
        LocalRenderSummary s2 = render(fixture(name), chunked, config(fps, "mp4", chunkSize), tmp.resolve("work"));
        assertEquals(frames, s1.plan().totalFrames());
        assertEquals((frames + chunkSize - 1) / chunkSize, s2.plan().chunkCount());
        assertEquals(frames, MediaProbe.frameCount(FFMPEG, chunked));
        PsnrResult p = Quality.psnr(FFMPEG, single, chunked);
        assertEquals(frames, p.framesCompared());
        assertTrue(p.meanDb() >= 45 && p.minDb() >= 40, name + ": " + p);
        MediaInfo info = MediaProbe.probe(FFMPEG, chunked);
        assertEquals(frames / (double) fps, info.videoDurationSeconds(), 0.5 / fps, "video duration");
        if (s2.plan().hasAudio()) {
            assertTrue(info.hasAudio());
            assertEquals(info.videoDurationSeconds(), info.audioDurationSeconds(), 0.025,
                    "audio and video streams must end together");
            double residual = Quality.audioResidualDbfs(FFMPEG, single, chunked);
            assertTrue(residual <= -50, name + ": audio residual " + residual + " dBFS");
        }
        check(name, chunked, fps);
    }

    /** What each regression fixture pins, looked at in the chunked output. */
    private void check(String name, Path video, int fps) throws Exception {
        switch (name) {
            case "nested-subcomp-depth-3" -> {
                // level 3's magenta marker (#ff00aa) covers the middle of the frame
                int[] c = rgb(frame(video, 30), 300, 200);
                assertTrue(c[0] > 200 && c[1] < 60 && c[2] > 130, "level-3 marker missing: " + java.util.Arrays.toString(c));
            }
            case "static-volume-future-set" -> {
                // t = 10.4 s, in the third chunk: the nested child's green card must still be visible
                int[] c = rgb(frame(video, (int) (10.4 * fps)), 320, 180);
                assertTrue(c[1] > 90 && c[0] < 60, "future visibility set leaked into chunk 3: " + java.util.Arrays.toString(c));
            }
            case "portrait-edge-bleed" -> {
                BufferedImage f = frame(video, 45);
                assertEquals(1080, f.getWidth());
                assertEquals(1920, f.getHeight());
            }
            case "audio-mux-parity" -> {
                assertTrue(Quality.audioRmsDbfs(FFMPEG, video, 1.0, 1.5) > -40, "tone 1 plays");
                assertTrue(Quality.audioRmsDbfs(FFMPEG, video, 3.1, 0.3) < -60, "gap between tone 1 and 2 is silent");
                assertTrue(Quality.audioRmsDbfs(FFMPEG, video, 7.5, 2.0) > -40, "tone 3 plays to the end");
            }
            default -> {
            }
        }
    }

    private BufferedImage frame(Path video, int n) throws Exception {
        return Compositions.frame(video, n, tmp);
    }

    private static int[] rgb(BufferedImage img, int x, int y) {
        return Compositions.rgb(img, x, y);
    }
}
