package dev.hfr.ffmpeg;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.EncoderSettings;
import dev.hfr.model.OutputFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The property the whole distributed design rests on: chunks encoded separately and joined with
 * {@code -c copy} give the same video as one encode: exact frame count, a keyframe at every chunk
 * start, no B-frames, and pictures within 45 dB mean / 40 dB worst of the single-pass encode.
 */
@Tag("integration")
class ChunkedEncodeTest {
    private static final int FRAMES = 60;
    private static FfmpegTools tools;
    private static List<byte[]> jpegs;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        tools = TestMedia.tools();
        jpegs = TestMedia.jpegScenes(FRAMES);
    }

    @Test
    void h264ChunksOf2And4And8JoinLikeOneEncode() throws Exception {
        EncoderSettings s = TestMedia.x264("medium", 18);
        Path single = assembleChunks(s, OutputFormat.MP4, jpegs, 1, "single");
        assertEquals("h264", MediaProbe.probe(tools, single).videoCodec());
        for (int chunks : new int[] {2, 4, 8}) {
            Path joined = assembleChunks(s, OutputFormat.MP4, jpegs, chunks, "joined" + chunks);
            assertSeamlessAgainst(single, joined, chunks, 45, 40);
        }
    }

    @Test
    void h265ChunksJoinLikeOneEncode() throws Exception {
        EncoderSettings s = TestMedia.x265();
        Path single = assembleChunks(s, OutputFormat.MP4, jpegs, 1, "single");
        Path joined = assembleChunks(s, OutputFormat.MP4, jpegs, 4, "joined");
        assertEquals("hevc", MediaProbe.probe(tools, joined).videoCodec());
        assertSeamlessAgainst(single, joined, 4, 45, 40);
    }

    @Test
    void vp9ChunksJoinLikeOneEncode() throws Exception {
        List<byte[]> pngs = TestMedia.pngScenes(FRAMES, true);
        EncoderSettings s = TestMedia.vp9();
        Path single = assembleChunks(s, OutputFormat.WEBM, pngs, 1, "single");
        Path joined = assembleChunks(s, OutputFormat.WEBM, pngs, 4, "joined");
        assertEquals("vp9", MediaProbe.probe(tools, joined).videoCodec());
        assertSeamlessAgainst(single, joined, 4, 45, 40);
    }

    @Test
    void proresChunksDecodeToTheSameFramesAsOneEncode() throws Exception {
        List<byte[]> pngs = TestMedia.pngScenes(30, true);
        EncoderSettings s = TestMedia.prores();
        Path single = assembleChunks(s, OutputFormat.MOV, pngs, 1, "single");
        Path joined = assembleChunks(s, OutputFormat.MOV, pngs, 3, "joined");
        MediaInfo info = MediaProbe.probe(tools, joined);
        assertEquals("prores", info.videoCodec());
        assertEquals(30, info.frameCount());
        assertTrue(info.pixelFormat().startsWith("yuva444p"), info.pixelFormat());
        assertTrue(Quality.framesIdentical(tools, single, joined));
    }

    @Test
    void pngSequenceChunksAssembleToGloballyNumberedFrames() throws Exception {
        List<byte[]> pngs = TestMedia.pngScenes(20, true);
        EncoderSettings s = TestMedia.pngSequence();
        Path single = assembleChunks(s, OutputFormat.PNG_SEQUENCE, pngs, 1, "single");
        Path joined = assembleChunks(s, OutputFormat.PNG_SEQUENCE, pngs, 3, "joined");
        List<String> names;
        try (var files = Files.list(joined)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(IntStream.range(0, 20).mapToObj(FrameNames::name).toList(), names);
        // chunk 2 of 3 starts at global frame 13: its directory must use global names
        try (var files = Files.list(dir.resolve("joined-chunks").resolve("chunk-0002"))) {
            assertEquals("frame-000013.png", files.map(p -> p.getFileName().toString()).sorted().findFirst().get());
        }
        assertTrue(Quality.framesIdentical(tools, single, joined));
        for (int i = 0; i < 20; i++) {
            assertTrue(java.util.Arrays.equals(pngs.get(i), Files.readAllBytes(joined.resolve(FrameNames.name(i)))),
                    "frame " + i + " bytes");
        }
    }

    private Path assembleChunks(EncoderSettings s, OutputFormat format, List<byte[]> frames, int chunks, String name)
            throws Exception {
        Path chunkDir = Files.createDirectories(dir.resolve(name + "-chunks"));
        List<Path> paths = TestMedia.encodeChunks(tools, frames, s, format, chunks, chunkDir);
        if (format != OutputFormat.PNG_SEQUENCE && format != OutputFormat.MOV) {
            for (Path p : paths) {
                List<Integer> keys = MediaProbe.keyframeIndexes(tools, p);
                assertEquals(List.of(0), keys, "chunk " + p.getFileName() + " must be one closed GOP");
                assertFalse(MediaProbe.hasReorderedFrames(tools, p), "chunk " + p.getFileName() + " has B-frames");
            }
        }
        Path out = dir.resolve(name + format.extension());
        AssembleStats stats = Assembler.assemble(tools, paths, null, format, TestMedia.FPS, frames.size(), out);
        assertEquals(frames.size(), stats.frames());
        assertEquals(frames.size(), MediaProbe.frameCount(tools, out));
        return out;
    }

    /** Every frame's PTS sits on the constant-rate grid (one tick of rounding allowed): no drift at seams. */
    private void assertConstantFrameRate(Path video) {
        List<MediaProbe.Packet> packets = MediaProbe.packets(tools, video);
        long first = packets.getFirst().pts();
        double step = (double) (packets.getLast().pts() - first) / (packets.size() - 1);
        for (int i = 0; i < packets.size(); i++) {
            double expected = first + i * step;
            assertTrue(Math.abs(packets.get(i).pts() - expected) <= 1.0,
                    video.getFileName() + " frame " + i + " pts " + packets.get(i).pts() + ", expected " + expected);
        }
    }

    private void assertSeamlessAgainst(Path single, Path joined, int chunks, double minMeanDb, double minWorstDb) {
        assertEquals(FRAMES, MediaProbe.probe(tools, joined).frameCount());
        List<Integer> expectedKeys = new ArrayList<>(TestMedia.chunkStarts(FRAMES, chunks));
        assertEquals(expectedKeys, MediaProbe.keyframeIndexes(tools, joined), "keyframes exactly at chunk starts");
        assertFalse(MediaProbe.hasReorderedFrames(tools, joined));
        assertConstantFrameRate(joined);
        PsnrResult psnr = Quality.psnr(tools, single, joined);
        System.out.printf("[psnr] %s %d chunks vs single: mean %.2f dB, min %.2f dB over %d frames%n",
                joined.getFileName(), chunks, psnr.meanDb(), psnr.minDb(), psnr.framesCompared());
        assertEquals(FRAMES, psnr.framesCompared());
        assertTrue(psnr.meanDb() >= minMeanDb, "mean PSNR " + psnr.meanDb());
        assertTrue(psnr.minDb() >= minWorstDb, "min PSNR " + psnr.minDb());
    }
}
