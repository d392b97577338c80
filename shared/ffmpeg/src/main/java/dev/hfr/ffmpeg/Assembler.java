package dev.hfr.ffmpeg;

import dev.hfr.model.FileTrees;
import dev.hfr.ffmpeg.internal.Num;
import dev.hfr.ffmpeg.internal.ProcessRunner;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Joins chunks into the final output without re-encoding video: one ffmpeg run with the concat
 * demuxer ({@code -c copy}) that also muxes the plan's mixed audio (AAC copied into mp4/mov when its
 * length already matches the video, else re-encoded padded/trimmed to the video's length; libopus
 * for webm) and, for mp4, moves the index to the front ({@code +faststart}).
 *
 * <p>Everything is written under a hidden temporary sibling name and moved to {@code output} only
 * after the frame count is verified, so a failed assembly never leaves a truncated output behind.
 */
public final class Assembler {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    /** One AAC frame at 48 kHz: audio this close to the video length is copied as is. */
    static final double AAC_FRAME_SECONDS = 1024.0 / 48_000;

    private Assembler() {
    }

    /**
     * Assembles {@code chunks} (files, or frame directories for png-sequence) in order into
     * {@code output}, muxing {@code audioOrNull}; verifies the output has {@code expectedFrames} frames.
     */
    public static AssembleStats assemble(FfmpegTools tools, List<Path> chunks, Path audioOrNull, OutputFormat format,
                                         int fps, int expectedFrames, Path output) {
        long start = System.nanoTime();
        if (chunks.isEmpty()) {
            throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "assemble of " + output + " got no chunks");
        }
        for (int i = 0; i < chunks.size(); i++) {
            Path c = chunks.get(i);
            boolean present = format == OutputFormat.PNG_SEQUENCE ? Files.isDirectory(c) : Files.isRegularFile(c);
            if (!present) {
                throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "chunk " + i + " (" + c + ") does not exist"
                        + (format == OutputFormat.PNG_SEQUENCE ? " as a frame directory" : ""));
            }
        }
        if (audioOrNull != null && !Files.isRegularFile(audioOrNull)) {
            throw new RenderException(ErrorCode.MISSING_PLAN_ARTIFACT, "audio " + audioOrNull + " does not exist");
        }
        Path parent = output.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot create " + parent + ": " + e.getMessage(), e);
        }
        Path temp = parent.resolve("." + output.getFileName() + ".partial-" + UUID.randomUUID()
                + format.extension());
        try {
            AssembleStats stats = format == OutputFormat.PNG_SEQUENCE
                    ? assembleFrames(chunks, audioOrNull, expectedFrames, temp, output, start)
                    : assembleVideo(tools, chunks, audioOrNull, format, fps, expectedFrames, temp, output, start);
            return stats;
        } finally {
            FileTrees.deleteQuietly(temp);
        }
    }

    /**
     * The concat list file: per chunk a {@code file '<absolute path>'} line (single quotes escaped as
     * {@code '\''}) and its exact {@code duration} (frames / fps). The explicit duration matters: without
     * it the demuxer offsets each chunk by the container's rounded duration (mp4: milliseconds), so
     * every seam of a 7-frame chunk at 30 fps shifts the rest of the video by 0.67 ms and timestamps
     * stop being constant-frame-rate.
     */
    public static String concatList(List<Path> chunks, List<Long> chunkFrames, int fps) {
        StringBuilder sb = new StringBuilder("ffconcat version 1.0\n");
        for (int i = 0; i < chunks.size(); i++) {
            sb.append("file '").append(chunks.get(i).toAbsolutePath().toString().replace("'", "'\\''"))
                    .append("'\n");
            sb.append("duration ").append(Num.fmt((double) chunkFrames.get(i) / fps)).append('\n');
        }
        return sb.toString();
    }

    /**
     * The ffmpeg command of a video assembly (pure; unit-tested). {@code copyAudio} copies the audio
     * stream; otherwise it is re-encoded, padded with silence and trimmed to {@code videoSeconds}.
     */
    public static List<String> command(FfmpegTools tools, Path listFile, Path audioOrNull, boolean copyAudio,
                                       OutputFormat format, double videoSeconds, Path temp) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-hide_banner", "-nostdin",
                "-nostats", "-v", "error", "-y"));
        cmd.addAll(MediaInput.concatList(listFile));
        if (audioOrNull != null) {
            cmd.addAll(MediaInput.ownFile(audioOrNull));
            cmd.addAll(List.of("-map", "0:v:0", "-map", "1:a:0"));
        } else {
            cmd.addAll(List.of("-map", "0:v:0"));
        }
        cmd.addAll(List.of("-c:v", "copy"));
        if (audioOrNull != null) {
            String seconds = Num.fmt(videoSeconds);
            if (copyAudio) {
                cmd.addAll(List.of("-c:a", "copy"));
            } else {
                cmd.addAll(List.of("-af", "apad=whole_dur=" + seconds + ",atrim=end=" + seconds));
                if (format == OutputFormat.WEBM) {
                    cmd.addAll(List.of("-c:a", "libopus", "-b:a", "128k", "-ar", "48000", "-ac", "2"));
                } else {
                    cmd.addAll(List.of("-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2"));
                }
            }
            cmd.addAll(List.of("-t", seconds));
        }
        if (format == OutputFormat.MP4) {
            cmd.addAll(List.of("-movflags", "+faststart"));
        }
        cmd.addAll(List.of("-f", EncoderArgs.muxer(format), temp.toString()));
        return cmd;
    }

    private static AssembleStats assembleVideo(FfmpegTools tools, List<Path> chunks, Path audio, OutputFormat format,
                                               int fps, int expectedFrames, Path temp, Path output, long start) {
        double videoSeconds = (double) expectedFrames / fps;
        boolean copyAudio = false;
        if (audio != null) {
            MediaInfo a = MediaProbe.probe(tools, audio, ErrorCode.ASSEMBLE_FAILED);
            if (!a.hasAudio()) {
                throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "audio file " + audio + " has no audio stream");
            }
            // AAC copies into mp4/mov; anything else, or a length off by more than one AAC frame, is re-encoded
            copyAudio = format != OutputFormat.WEBM && "aac".equals(a.audioCodec())
                    && Math.abs(a.audioDurationSeconds() - videoSeconds) <= AAC_FRAME_SECONDS + 1e-6;
        }
        List<Long> chunkFrames = new ArrayList<>();
        long total = 0;
        if (chunks.size() == 1) {
            // one chunk: the output's own count below checks it (one ffprobe start fewer, 0.1 s of a short render)
            chunkFrames.add((long) expectedFrames);
            total = expectedFrames;
        } else {
            for (int i = 0; i < chunks.size(); i++) {
                long n;
                try {
                    n = MediaProbe.countVideoFrames(tools, chunks.get(i), ErrorCode.ASSEMBLE_FAILED);
                } catch (RenderException e) {
                    throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "chunk " + i + " is unreadable: "
                            + e.getMessage(), e);
                }
                chunkFrames.add(n);
                total += n;
            }
        }
        if (total != expectedFrames) {
            throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "the " + chunks.size() + " chunks for " + output
                    + " hold " + total + " frames " + chunkFrames + ", expected " + expectedFrames);
        }
        Path list = temp.resolveSibling(temp.getFileName() + ".concat.txt");
        try {
            Files.writeString(list, concatList(chunks, chunkFrames, fps), StandardCharsets.UTF_8);
            ProcessRunner.Result r = ProcessRunner.run(
                    command(tools, list, audio, copyAudio, format, videoSeconds, temp), TIMEOUT, ErrorCode.ASSEMBLE_FAILED);
            if (!r.ok()) {
                throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "ffmpeg could not assemble " + chunks.size()
                        + " chunks into " + output + " (exit " + r.exitCode() + "): " + r.stderrTail());
            }
            MediaInfo info = MediaProbe.probe(tools, temp, ErrorCode.ASSEMBLE_FAILED);
            if (info.frameCount() != expectedFrames) {
                throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "assembled " + output + " would hold "
                        + info.frameCount() + " frames, expected " + expectedFrames + " from " + chunks.size()
                        + " chunks");
            }
            if (audio != null && !info.hasAudio()) {
                throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "assembled " + output + " lost its audio");
            }
            long size = Files.size(temp);
            move(temp, output);
            return new AssembleStats(output, info.frameCount(), audio != null, copyAudio,
                    (System.nanoTime() - start) / 1_000_000, size);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "assembling " + output + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(list);
            } catch (IOException ignored) {
                // temp list in the output directory; harmless if it stays
            }
        }
    }

    private static AssembleStats assembleFrames(List<Path> chunks, Path audio, int expectedFrames, Path tempDir,
                                                Path output, long start) {
        try {
            Files.createDirectories(tempDir);
            int next = 0;
            long size = 0;
            for (Path chunk : chunks) {
                for (Path frame : MediaProbe.FrameFiles.list(chunk)) {
                    // renumber by position: chunk directories hold global names, so this normally keeps them
                    Path target = tempDir.resolve(FrameNames.name(next++));
                    Files.copy(frame, target);
                    size += Files.size(target);
                }
            }
            if (next != expectedFrames) {
                throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "png-sequence " + output + " would hold " + next
                        + " frames from " + chunks.size() + " chunk directories, expected " + expectedFrames);
            }
            if (audio != null) {
                Path a = tempDir.resolve("audio.m4a");
                Files.copy(audio, a);
                size += Files.size(a);
            }
            clearOldFrameDir(output);
            move(tempDir, output);
            return new AssembleStats(output, next, audio != null, audio != null,
                    (System.nanoTime() - start) / 1_000_000, size);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "assembling frames into " + output + ": "
                    + e.getMessage(), e);
        }
    }

    /** An existing output directory may only hold an earlier run's frames and audio; they are replaced. */
    private static void clearOldFrameDir(Path output) throws IOException {
        if (!Files.exists(output)) {
            return;
        }
        if (!Files.isDirectory(output)) {
            throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "png-sequence output " + output
                    + " exists and is not a directory");
        }
        try (Stream<Path> s = Files.list(output)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!FrameNames.isFrame(n) && !"audio.m4a".equals(n)) {
                    throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "png-sequence output " + output
                            + " holds " + n + "; expected an empty directory or an earlier frame sequence");
                }
            }
        }
        FileTrees.deleteQuietly(output);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
