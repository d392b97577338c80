package dev.hfr.ffmpeg;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.EncoderSettings;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures are typed, name the file, carry ffmpeg's words, and never leave partial outputs behind. */
@Tag("integration")
class FailureTest {
    private static FfmpegTools tools;
    private static List<byte[]> jpegs;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        tools = TestMedia.tools();
        jpegs = TestMedia.jpegScenes(12);
    }

    @Test
    void toolsAreFoundAndVersioned() {
        assertTrue(tools.version().matches("\\d+\\.\\d+.*"), tools.version());
        assertEquals(tools.version(), tools.version());
        RenderException missing = assertThrows(RenderException.class,
                () -> FfmpegTools.locate(Map.of("HFR_FFMPEG_PATH", dir.resolve("nope").toString())));
        assertEquals(ErrorCode.FFMPEG_UNAVAILABLE, missing.code());
        assertTrue(missing.getMessage().contains("HFR_FFMPEG_PATH"), missing.getMessage());
        assertEquals(ErrorCode.FFMPEG_UNAVAILABLE,
                assertThrows(RenderException.class, () -> FfmpegTools.locate(Map.of("PATH", dir.toString()))).code());
        FfmpegTools fromPath = FfmpegTools.locate(Map.of("PATH", "/nonexistent:" + tools.ffmpeg().getParent()));
        assertEquals(tools.ffmpeg(), fromPath.ffmpeg());
    }

    @Test
    void ffmpegRejectingTheSettingsIsEncodeFailedWithItsStderrAndNoOutput() {
        EncoderSettings bad = new EncoderSettings("libx264", "standard", "no-such-preset", 18, null, "yuv420p", "jpeg",
                95, null);
        Path out = dir.resolve("bad.mp4");
        RenderException e = assertThrows(RenderException.class, () -> {
            try (ChunkEncoder enc = ChunkEncoder.open(tools, out, bad, OutputFormat.MP4, 30, 320, 180, 12)) {
                for (byte[] f : jpegs) {
                    enc.writeFrame(f);
                }
                enc.finish();
            }
        });
        assertEquals(ErrorCode.ENCODE_FAILED, e.code());
        assertTrue(e.getMessage().contains("bad.mp4"), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("preset"), "ffmpeg's reason missing: " + e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void tooFewFramesIsEncodeFailedAndDeletesTheChunk() {
        Path out = dir.resolve("short.mp4");
        ChunkEncoder enc = ChunkEncoder.open(tools, out, TestMedia.x264("ultrafast", 23), OutputFormat.MP4, 30, 320, 180,
                12);
        for (int i = 0; i < 5; i++) {
            enc.writeFrame(jpegs.get(i));
        }
        RenderException e = assertThrows(RenderException.class, enc::finish);
        assertEquals(ErrorCode.ENCODE_FAILED, e.code());
        assertTrue(e.getMessage().contains("expects 12 frames but 5"), e.getMessage());
        enc.close();
        assertFalse(Files.exists(out));
    }

    @Test
    void closeWithoutFinishAbortsAndDeletes() throws Exception {
        Path out = dir.resolve("aborted.mp4");
        try (ChunkEncoder enc = ChunkEncoder.open(tools, out, TestMedia.x264("ultrafast", 23), OutputFormat.MP4, 30,
                320, 180, 12)) {
            enc.writeFrame(jpegs.getFirst());
        }
        assertFalse(Files.exists(out));
        Path frames = dir.resolve("frames");
        try (ChunkEncoder enc = ChunkEncoder.open(tools, frames, TestMedia.pngSequence(), OutputFormat.PNG_SEQUENCE,
                30, 320, 180, 3, 100)) {
            enc.writeFrame(TestMedia.png(TestMedia.scene(0, 32, 18, true)));
            assertTrue(Files.exists(frames.resolve("frame-000100.png")));
        }
        assertFalse(Files.exists(frames));
    }

    @Test
    void wrongImageTypeIsRejectedBeforeFfmpegSeesIt() {
        Path out = dir.resolve("png-into-jpeg.mp4");
        try (ChunkEncoder enc = ChunkEncoder.open(tools, out, TestMedia.x264("ultrafast", 23), OutputFormat.MP4, 30,
                320, 180, 12)) {
            RenderException e = assertThrows(RenderException.class,
                    () -> enc.writeFrame(TestMedia.png(TestMedia.scene(0, 32, 18, false))));
            assertEquals(ErrorCode.ENCODE_FAILED, e.code());
            assertTrue(e.getMessage().contains("not a jpeg"), e.getMessage());
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void assembleOfACorruptChunkFailsAndLeavesNoOutputAndKeepsTheOldOne() throws Exception {
        List<Path> chunks = new ArrayList<>(TestMedia.encodeChunks(tools, jpegs, TestMedia.x264("ultrafast", 23),
                OutputFormat.MP4, 2, Files.createDirectories(dir.resolve("chunks"))));
        Path corrupt = truncatedCopy(chunks.get(1), dir.resolve("chunks/chunk-0002.mp4"));
        chunks.add(corrupt);
        Path out = Files.createDirectories(dir.resolve("out")).resolve("video.mp4");
        byte[] previous = "an earlier render".getBytes();
        Files.write(out, previous);

        RenderException e = assertThrows(RenderException.class,
                () -> Assembler.assemble(tools, chunks, null, OutputFormat.MP4, 30, 18, out));
        assertEquals(ErrorCode.ASSEMBLE_FAILED, e.code());
        assertTrue(e.getMessage().contains("chunk-0002.mp4"), e.getMessage());
        assertArrayEquals(previous, Files.readAllBytes(out));
        assertEquals(List.of("video.mp4"), names(out.getParent()));
    }

    @Test
    void wrongFrameCountOrBadAudioFailsAssemblyWithoutOutput() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out")).resolve("video.mp4");
        List<Path> chunks = List.of();
        // one chunk is not counted apart (the output's own count is the same check): it must fail the same way
        for (int n : new int[] {1, 2}) {
            List<Path> these = TestMedia.encodeChunks(tools, jpegs, TestMedia.x264("ultrafast", 23), OutputFormat.MP4,
                    n, Files.createDirectories(dir.resolve("chunks" + n)));
            RenderException e = assertThrows(RenderException.class,
                    () -> Assembler.assemble(tools, these, null, OutputFormat.MP4, 30, 13, out));
            assertEquals(ErrorCode.ASSEMBLE_FAILED, e.code(), n + " chunks");
            assertTrue(e.getMessage().contains("expected 13"), e.getMessage());
            assertEquals(List.of(), names(out.getParent()));
            chunks = these;
        }
        List<Path> two = chunks;
        Path fakeAudio = dir.resolve("audio.m4a");
        Files.writeString(fakeAudio, "not audio");
        RenderException audio = assertThrows(RenderException.class,
                () -> Assembler.assemble(tools, two, fakeAudio, OutputFormat.MP4, 30, 12, out));
        assertEquals(ErrorCode.ASSEMBLE_FAILED, audio.code());
        assertEquals(List.of(), names(out.getParent()));
    }

    @Test
    void aCorruptSingleChunkLeavesNoOutputAndAGoodOneAssembles() throws Exception {
        List<Path> chunks = TestMedia.encodeChunks(tools, jpegs, TestMedia.x264("ultrafast", 23), OutputFormat.MP4, 1,
                Files.createDirectories(dir.resolve("one")));
        Path out = Files.createDirectories(dir.resolve("out")).resolve("video.mp4");
        Path corrupt = truncatedCopy(chunks.getFirst(), dir.resolve("one/corrupt.mp4"));
        RenderException bad = assertThrows(RenderException.class,
                () -> Assembler.assemble(tools, List.of(corrupt), null, OutputFormat.MP4, 30, 12, out));
        assertEquals(ErrorCode.ASSEMBLE_FAILED, bad.code());
        assertEquals(List.of(), names(out.getParent()));
        assertEquals(12L, Assembler.assemble(tools, chunks, null, OutputFormat.MP4, 30, 12, out).frames());
    }

    @Test
    void ffmpegDyingHalfwayThroughTheOutputLeavesNoPartialFile() throws Exception {
        List<Path> chunks = TestMedia.encodeChunks(tools, jpegs, TestMedia.x264("ultrafast", 23), OutputFormat.MP4, 2,
                Files.createDirectories(dir.resolve("chunks")));
        // an "ffmpeg" that writes part of its output file and then fails, like a full disk or a crash
        Path fake = dir.resolve("fake-ffmpeg");
        Files.writeString(fake, "#!/bin/sh\nfor a; do last=$a; done\nprintf 'partial mp4' > \"$last\"\n"
                + "echo 'av_interleaved_write_frame(): No space left on device' >&2\nexit 1\n");
        assertTrue(fake.toFile().setExecutable(true));
        FfmpegTools failing = FfmpegTools.of(fake, tools.ffprobe());
        Path out = Files.createDirectories(dir.resolve("out")).resolve("video.mp4");
        RenderException e = assertThrows(RenderException.class,
                () -> Assembler.assemble(failing, chunks, null, OutputFormat.MP4, 30, 12, out));
        // a full disk is not retried (issue 13 item 8): the same worker would fail the same way
        assertEquals(ErrorCode.INSUFFICIENT_DISK, e.code());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals(List.of(), names(out.getParent()));
    }

    @Test
    void missingChunkIsChunksIncomplete() {
        RenderException e = assertThrows(RenderException.class, () -> Assembler.assemble(tools,
                List.of(dir.resolve("chunk-0000.mp4")), null, OutputFormat.MP4, 30, 12, dir.resolve("o.mp4")));
        assertEquals(ErrorCode.CHUNKS_INCOMPLETE, e.code());
        assertTrue(e.getMessage().contains("chunk-0000.mp4"));
    }

    private static List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The first third of {@code good}, written to {@code corrupt}: a chunk cut off mid-file. */
    private static Path truncatedCopy(Path good, Path corrupt) throws java.io.IOException {
        byte[] bytes = Files.readAllBytes(good);
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        return corrupt;
    }
}
