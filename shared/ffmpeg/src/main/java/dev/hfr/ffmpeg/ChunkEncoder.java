package dev.hfr.ffmpeg;

import dev.hfr.ffmpeg.internal.ProcessRunner;
import dev.hfr.model.EncoderSettings;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Encodes one chunk while the caller is still capturing it. Frames (JPEG or PNG bytes) go into a
 * bounded queue; a writer thread pipes them to ffmpeg's stdin ({@code image2pipe}), so
 * {@link #writeFrame} only blocks when ffmpeg falls behind by {@link #QUEUE_FRAMES} frames and no
 * frame ever touches the disk. {@link #finish} checks that the chunk holds exactly {@code frameCount}
 * frames; {@link #close} without a successful finish kills ffmpeg and deletes the partial output.
 *
 * <p>png-sequence has no encoder: {@code output} is a directory and each frame is written as
 * {@code frame-%06d.png} named by its GLOBAL frame index ({@code startFrame + i}, see
 * {@link FrameNames}), so the assembler can merge chunk directories without renaming collisions.
 *
 * <p>Not thread-safe: one capture thread calls writeFrame/finish/close.
 */
public final class ChunkEncoder implements AutoCloseable {
    /** Frames buffered between the capture thread and ffmpeg (about 8 x 0.3 MB at 1080p JPEG). */
    public static final int QUEUE_FRAMES = 8;
    private static final byte[] END = new byte[0];
    private static final long FINISH_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(30);

    private final FfmpegTools tools;
    private final Path output;
    private final OutputFormat format;
    private final String captureFormat;
    private final int width;
    private final int height;
    private final int frameCount;
    private final int startFrame;
    private final long startNanos = System.nanoTime();
    private final List<Path> writtenFrameFiles = new ArrayList<>();
    private final boolean createdDir;

    private final Process process;
    private final ProcessRunner.Drain stderr;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final Thread writer;
    private volatile Throwable writerFailure;

    private int framesWritten;
    private long frameBytes;
    private boolean done;

    private ChunkEncoder(FfmpegTools tools, Path output, EncoderSettings settings, OutputFormat format, int fps,
                         int width, int height, int frameCount, int startFrame) {
        this.tools = tools;
        this.output = output;
        this.format = format;
        this.captureFormat = format == OutputFormat.PNG_SEQUENCE ? "png" : settings.captureFormat();
        this.width = width;
        this.height = height;
        this.frameCount = frameCount;
        this.startFrame = startFrame;
        try {
            if (format == OutputFormat.PNG_SEQUENCE) {
                createdDir = !Files.isDirectory(output);
                Files.createDirectories(output);
                process = null;
                stderr = null;
                writer = null;
                return;
            }
            createdDir = false;
            if (output.getParent() != null) {
                Files.createDirectories(output.getParent());
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot create chunk output " + output + ": "
                    + e.getMessage(), e);
        }
        List<String> cmd = command(tools, output, settings, format, fps, frameCount);
        try {
            process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new RenderException(ErrorCode.FFMPEG_UNAVAILABLE, "cannot start " + tools.ffmpeg() + ": "
                    + e.getMessage(), e);
        }
        stderr = ProcessRunner.Drain.start(process.getErrorStream());
        writer = Thread.ofPlatform().daemon().name("hfr-encode-" + output.getFileName()).start(this::pump);
    }

    /** Opens an encoder for a chunk that starts at global frame 0 (png-sequence names frames from 0). */
    public static ChunkEncoder open(FfmpegTools tools, Path output, EncoderSettings settings, OutputFormat format,
                                    int fps, int width, int height, int frameCount) {
        return open(tools, output, settings, format, fps, width, height, frameCount, 0);
    }

    /**
     * Opens an encoder for {@code frameCount} frames of {@code width x height} at {@code fps}; the GOP is
     * the whole chunk. {@code startFrame} is the chunk's first global frame index (png-sequence names).
     */
    public static ChunkEncoder open(FfmpegTools tools, Path output, EncoderSettings settings, OutputFormat format,
                                    int fps, int width, int height, int frameCount, int startFrame) {
        if (frameCount <= 0 || fps <= 0 || width <= 0 || height <= 0 || startFrame < 0) {
            throw new IllegalArgumentException("chunk encode needs positive fps, size and frameCount and"
                    + " startFrame >= 0: fps=" + fps + " size=" + width + "x" + height + " frameCount="
                    + frameCount + " startFrame=" + startFrame);
        }
        return new ChunkEncoder(tools, output, settings, format, fps, width, height, frameCount, startFrame);
    }

    /** The full ffmpeg command of a video chunk encode (pure; unit-tested). */
    public static List<String> command(FfmpegTools tools, Path output, EncoderSettings settings, OutputFormat format,
                                       int fps, int frameCount) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-hide_banner", "-nostats",
                "-v", "error", "-y"));
        cmd.addAll(EncoderArgs.inputArgs(settings.captureFormat(), fps));
        cmd.addAll(EncoderArgs.forChunk(settings, format, fps, frameCount));
        cmd.addAll(List.of("-f", EncoderArgs.muxer(format), output.toString()));
        return cmd;
    }

    /** Hands one encoded image (in frame order) to the encoder; blocks only while the queue is full. */
    public void writeFrame(byte[] encodedImage) {
        if (done) {
            throw new IllegalStateException("chunk encoder for " + output + " is already finished or closed");
        }
        if (framesWritten >= frameCount) {
            throw new RenderException(ErrorCode.ENCODE_FAILED, "chunk " + output + " was opened for " + frameCount
                    + " frames but frame " + (framesWritten + 1) + " was written");
        }
        checkImage(encodedImage);
        if (format == OutputFormat.PNG_SEQUENCE) {
            Path file = output.resolve(FrameNames.name(startFrame + framesWritten));
            try {
                Files.write(file, encodedImage, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot write frame " + file + ": "
                        + e.getMessage(), e);
            }
            writtenFrameFiles.add(file);
        } else {
            try {
                while (!queue.offer(encodedImage, 200, TimeUnit.MILLISECONDS)) {
                    if (writerFailure != null || !process.isAlive()) {
                        throw ffmpegFailure("ffmpeg stopped accepting frames");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while encoding " + output, e);
            }
            if (writerFailure != null) {
                throw ffmpegFailure("ffmpeg stopped accepting frames");
            }
        }
        framesWritten++;
        frameBytes += encodedImage.length;
    }

    /** Number of frames handed over so far. */
    public int framesWritten() {
        return framesWritten;
    }

    /**
     * Closes the input, waits for ffmpeg, and verifies the chunk holds exactly {@code frameCount} frames
     * of the expected size. Any failure deletes the partial output and throws ENCODE_FAILED.
     */
    public EncodeStats finish() {
        if (done) {
            throw new IllegalStateException("chunk encoder for " + output + " is already finished or closed");
        }
        try {
            if (framesWritten != frameCount) {
                throw new RenderException(ErrorCode.ENCODE_FAILED, "chunk " + output + " expects " + frameCount
                        + " frames but " + framesWritten + " were written");
            }
            EncodeStats stats = format == OutputFormat.PNG_SEQUENCE ? finishFrames() : finishVideo();
            done = true;
            return stats;
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    /** Aborts an unfinished encode: kills ffmpeg and deletes the partial output. No-op after finish. */
    @Override
    public void close() {
        if (!done) {
            abort();
        }
    }

    private EncodeStats finishVideo() {
        try {
            while (!queue.offer(END, 200, TimeUnit.MILLISECONDS)) {
                if (writerFailure != null || !process.isAlive()) {
                    throw ffmpegFailure("ffmpeg stopped accepting frames");
                }
            }
            writer.join(FINISH_TIMEOUT_MILLIS);
            if (!process.waitFor(FINISH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new RenderException(ErrorCode.ENCODE_FAILED, "ffmpeg did not finish chunk " + output
                        + " within " + TimeUnit.MILLISECONDS.toMinutes(FINISH_TIMEOUT_MILLIS) + " min");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while finishing " + output, e);
        }
        if (process.exitValue() != 0 || writerFailure != null) {
            throw ffmpegFailure("ffmpeg failed");
        }
        MediaInfo info = MediaProbe.probe(tools, output, ErrorCode.ENCODE_FAILED);
        if (info.frameCount() != frameCount) {
            throw new RenderException(ErrorCode.ENCODE_FAILED, "chunk " + output + " holds " + info.frameCount()
                    + " frames, expected " + frameCount + " (" + frameBytes + " bytes of " + captureFormat
                    + " were piped)");
        }
        int evenW = width + (width % 2);
        int evenH = height + (height % 2);
        boolean sizeOk = (info.width() == width || info.width() == evenW)
                && (info.height() == height || info.height() == evenH);
        if (!sizeOk) {
            throw new RenderException(ErrorCode.ENCODE_FAILED, "chunk " + output + " is " + info.width() + "x"
                    + info.height() + ", expected " + width + "x" + height + ": captured frames had another size");
        }
        return new EncodeStats(output, framesWritten, elapsedMillis(), sizeOf(output));
    }

    private EncodeStats finishFrames() {
        long count = MediaProbe.FrameFiles.list(output).stream()
                .filter(p -> {
                    int i = FrameNames.indexOf(p.getFileName().toString());
                    return i >= startFrame && i < startFrame + frameCount;
                }).count();
        if (count != frameCount) {
            throw new RenderException(ErrorCode.ENCODE_FAILED, "frame directory " + output + " holds " + count
                    + " frames of this chunk, expected " + frameCount);
        }
        long size = 0;
        for (Path p : writtenFrameFiles) {
            size += sizeOf(p);
        }
        return new EncodeStats(output, framesWritten, elapsedMillis(), size);
    }

    /** Writer thread: moves frames from the queue to ffmpeg's stdin, then closes it to end the stream. */
    private void pump() {
        try (OutputStream in = process.getOutputStream()) {
            while (true) {
                byte[] frame = queue.take();
                if (frame == END) {
                    break;
                }
                in.write(frame);
            }
        } catch (IOException | InterruptedException e) {
            writerFailure = e;
        }
    }

    private RenderException ffmpegFailure(String what) {
        try {
            // let ffmpeg exit so its stderr holds the reason, not just "broken pipe"
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String exit = process.isAlive() ? "still running" : "exit " + process.exitValue();
        process.destroyForcibly();
        return new RenderException(ErrorCode.ENCODE_FAILED, what + " while encoding chunk " + output + " after "
                + framesWritten + " of " + frameCount + " frames (" + exit + "): " + RenderException.tail(stderr.text(), 12),
                writerFailure);
    }

    private void abort() {
        done = true;
        if (process != null) {
            writer.interrupt();
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
                writer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteQuietly(output);
        } else {
            for (Path p : writtenFrameFiles) {
                deleteQuietly(p);
            }
            if (createdDir) {
                deleteQuietly(output);
            }
        }
    }

    private void checkImage(byte[] b) {
        boolean png = b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
        boolean jpeg = b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
        boolean ok = "png".equals(captureFormat) ? png : jpeg;
        if (!ok) {
            throw new RenderException(ErrorCode.ENCODE_FAILED, "frame " + (startFrame + framesWritten) + " of chunk "
                    + output + " is not a " + captureFormat + " image (" + b.length + " bytes)");
        }
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a non-empty directory we did not fully create, or already gone; nothing more to clean
        }
    }
}
