package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.ffmpeg.MediaProbe;
import dev.hfr.ffmpeg.PsnrResult;
import dev.hfr.ffmpeg.Quality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static dev.hfr.local.RenderHarness.config;
import static dev.hfr.local.RenderHarness.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The render-core quality gates on a composition of our own (so they guard every clone, with or without
 * ../shared): a chunked render equals the single-pass render (exact frame count; mp4/webm mean PSNR >= 45 dB and
 * no frame below 40 dB; ProRes and PNG frames identical), and motion driven by GSAP, CSS animations and WAAPI
 * neither repeats nor skips a frame at a seam. {@link ChunkedRenderQualityTest} runs the same gates on
 * HyperFrames' own fixtures where ../shared is present.
 */
@Tag("integration")
class OwnChunkedQualityTest {
    private static final int FRAMES = 60;

    @TempDir
    static Path tmp;
    static Path project;

    @BeforeAll
    static void write() throws Exception {
        project = Compositions.seams(tmp.resolve("seams"));
    }

    private static Path renderTo(String name, String format, int chunkSize) throws Exception {
        Path out = tmp.resolve(name);
        LocalRenderSummary s = render(project, out, config(30, format, chunkSize), tmp.resolve("work-" + name));
        assertEquals(FRAMES, s.plan().totalFrames());
        assertEquals((FRAMES + chunkSize - 1) / chunkSize, s.plan().chunkCount(), "chunks of " + name);
        return out;
    }

    @ParameterizedTest(name = "{0}: {2}-frame chunks equal the single pass")
    @CsvSource({"mp4, .mp4, 15", "mp4, .mp4, 8", "webm, .webm, 15"})
    void lossyChunkedEqualsSinglePassAndSeamsMove(String format, String ext, int chunkSize) throws Exception {
        Path single = renderTo("single-" + chunkSize + ext, format, FRAMES);
        Path chunked = renderTo("chunked-" + chunkSize + ext, format, chunkSize);
        assertEquals(FRAMES, MediaProbe.frameCount(FFMPEG, chunked), "frames in the chunked output");
        PsnrResult p = Quality.psnr(FFMPEG, single, chunked);
        assertEquals(FRAMES, p.framesCompared());
        assertTrue(p.meanDb() >= 45, format + " mean PSNR against the single pass: " + p);
        assertTrue(p.minDb() >= 40, format + " worst-frame PSNR against the single pass: " + p);
        List<String> md5 = Quality.frameMd5(FFMPEG, chunked);
        assertEquals(FRAMES, md5.size());
        for (int n = 1; n < FRAMES; n++) {
            assertNotEquals(md5.get(n - 1), md5.get(n), "frame " + n + " repeats frame " + (n - 1));
        }
    }

    @Test
    void proresChunkedFramesAreIdentical() throws Exception {
        Path single = renderTo("single.mov", "mov", FRAMES);
        Path chunked = renderTo("chunked.mov", "mov", 15);
        assertTrue(Quality.framesIdentical(FFMPEG, single, chunked), "ProRes chunked frames differ from single pass");
        assertEquals("prores", MediaProbe.probe(FFMPEG, chunked).videoCodec());
    }

    @Test
    void pngSequenceChunkedFramesAreIdentical() throws Exception {
        Path single = renderTo("png-single", "png-sequence", FRAMES);
        Path chunked = renderTo("png-chunked", "png-sequence", 15);
        try (var s = Files.list(chunked)) {
            assertEquals(FRAMES, s.filter(f -> f.toString().endsWith(".png")).count());
        }
        assertTrue(Quality.framesIdentical(FFMPEG, single, chunked), "PNG chunked frames differ from single pass");
    }
}
