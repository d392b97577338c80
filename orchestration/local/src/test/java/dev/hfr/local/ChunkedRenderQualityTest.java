package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.testsupport.RequiresSharedFixtures;

import dev.hfr.ffmpeg.MediaProbe;
import dev.hfr.ffmpeg.PsnrResult;
import dev.hfr.ffmpeg.Quality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static dev.hfr.local.RenderHarness.config;
import static dev.hfr.local.RenderHarness.fixture;
import static dev.hfr.local.RenderHarness.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The render-core quality gates on HyperFrames' own fixtures: a chunked render equals the single-pass
 * render (exact frame count; mp4/webm mean PSNR >= 45 dB and no frame below 40 dB; ProRes and PNG
 * frames identical), and motion across seams neither repeats nor skips a frame.
 */
@Tag("integration")
@RequiresSharedFixtures
class ChunkedRenderQualityTest {
    @TempDir
    Path tmp;

    private Path single(String fixture, int fps, String format, String ext, int total) throws Exception {
        Path out = tmp.resolve(fixture + "-single" + ext);
        LocalRenderSummary s = render(fixture(fixture), out, config(fps, format, total), tmp.resolve("work"));
        assertEquals(1, s.plan().chunkCount());
        assertEquals(total, s.plan().totalFrames());
        assertEquals(total, MediaProbe.frameCount(FFMPEG, out), "frames in the single-pass output");
        return out;
    }

    private Path chunked(String fixture, int fps, String format, String ext, int chunkSize, int total) throws Exception {
        Path out = tmp.resolve(fixture + "-c" + chunkSize + ext);
        LocalRenderSummary s = render(fixture(fixture), out, config(fps, format, chunkSize), tmp.resolve("work"));
        assertEquals((total + chunkSize - 1) / chunkSize, s.plan().chunkCount());
        assertEquals(total, MediaProbe.frameCount(FFMPEG, out), "frames in the chunked output");
        return out;
    }

    @Test
    void mp4H264SdrAt1248Chunks() throws Exception {
        Path single = single("mp4-h264-sdr", 30, "mp4", ".mp4", 60);
        for (int chunkSize : new int[]{30, 15, 8}) {
            Path chunked = chunked("mp4-h264-sdr", 30, "mp4", ".mp4", chunkSize, 60);
            PsnrResult p = Quality.psnr(FFMPEG, single, chunked);
            assertEquals(60, p.framesCompared());
            assertTrue(p.meanDb() >= 45, chunkSize + "-frame chunks: mean PSNR " + p.meanDb());
            assertTrue(p.minDb() >= 40, chunkSize + "-frame chunks: worst frame PSNR " + p.minDb());
        }
    }

    /** Motion that straddles the seams at frames 15, 30, 45, for each animation system. */
    @ParameterizedTest
    @CsvSource({"gsap-boundary", "css-boundary", "waapi-boundary"})
    void motionAcrossSeamsNeitherRepeatsNorSkips(String fixture) throws Exception {
        Path single = single(fixture, 30, "mp4", ".mp4", 60);
        Path chunked = chunked(fixture, 30, "mp4", ".mp4", 15, 60);
        PsnrResult p = Quality.psnr(FFMPEG, single, chunked);
        assertTrue(p.meanDb() >= 45 && p.minDb() >= 40, fixture + ": " + p);
        List<String> md5 = Quality.frameMd5(FFMPEG, chunked);
        assertEquals(60, md5.size());
        for (int n = 1; n < 60; n++) {
            assertNotEquals(md5.get(n - 1), md5.get(n), fixture + ": frame " + n + " repeats frame " + (n - 1));
        }
    }

    @Test
    void webmVp9Chunked() throws Exception {
        Path single = single("webm-vp9", 30, "webm", ".webm", 60);
        Path chunked = chunked("webm-vp9", 30, "webm", ".webm", 15, 60);
        PsnrResult p = Quality.psnr(FFMPEG, single, chunked);
        assertTrue(p.meanDb() >= 45 && p.minDb() >= 40, "webm: " + p);
    }

    @Test
    void movProresFramesAreIdentical() throws Exception {
        Path single = single("mov-prores", 30, "mov", ".mov", 60);
        Path chunked = chunked("mov-prores", 30, "mov", ".mov", 15, 60);
        assertTrue(Quality.framesIdentical(FFMPEG, single, chunked), "ProRes chunked frames differ from single pass");
        assertEquals("prores", MediaProbe.probe(FFMPEG, chunked).videoCodec());
    }

    @Test
    void pngSequenceFramesAreIdentical() throws Exception {
        Path single = tmp.resolve("png-single");
        Path chunked = tmp.resolve("png-chunked");
        render(fixture("png-sequence"), single, config(30, "png-sequence", 60), tmp.resolve("work"));
        render(fixture("png-sequence"), chunked, config(30, "png-sequence", 15), tmp.resolve("work"));
        try (var s = Files.list(chunked)) {
            assertEquals(60, s.filter(f -> f.toString().endsWith(".png")).count());
        }
        assertTrue(Quality.framesIdentical(FFMPEG, single, chunked), "PNG chunked frames differ from single pass");
    }
}
