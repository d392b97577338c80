package dev.hfr.engine.assemble;

import dev.hfr.ffmpeg.FrameNames;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two pictures a person checks a render by: a poster (the middle frame at full size) and a contact sheet
 * (a 4x3 grid of evenly spaced thumbnails, 320 px wide). The assemble step writes both next to the render's
 * progress document; {@code hf render --contact-sheet} draws the same sheet beside a local output. The argument
 * lists are built apart from running ffmpeg, so they are unit-testable.
 */
public final class Stills {
    public static final int COLUMNS = 4;
    public static final int ROWS = 3;
    public static final int THUMB_WIDTH = 320;
    public static final int PADDING = 4;
    public static final int MARGIN = 4;

    private Stills() {
    }

    /** The frame the poster shows: the middle one. */
    public static int posterFrame(int totalFrames) {
        return Math.max(0, totalFrames / 2);
    }

    /** Size in pixels of the contact sheet of a {@code width} x {@code height} video: {width, height}. */
    public static int[] contactSheetSize(int width, int height) {
        int thumbHeight = (int) Math.round((double) THUMB_WIDTH * height / width / 2) * 2; // scale=320:-2
        return new int[] {COLUMNS * THUMB_WIDTH + (COLUMNS - 1) * PADDING + 2 * MARGIN,
                ROWS * thumbHeight + (ROWS - 1) * PADDING + 2 * MARGIN};
    }

    /** ffmpeg's input arguments for a video file, or a png-sequence directory at {@code fps}. */
    static List<String> input(Path video, int fps) {
        if (Files.isDirectory(video)) {
            return List.of("-framerate", Integer.toString(fps), "-start_number", "0", "-i",
                    video.resolve(FrameNames.PATTERN).toString());
        }
        return List.of("-i", video.toString());
    }

    /**
     * The contact sheet: tile {@code i} shows frame {@code i * max(1, totalFrames / 12)}. A video file is read by
     * seeking to each tile's frame (one input per tile), so the cost does not grow with the video's length; a
     * png-sequence directory is read through a frame selection.
     */
    public static List<String> contactSheetArgs(Path ffmpeg, Path video, int fps, int totalFrames, Path out) {
        int step = Math.max(1, totalFrames / (COLUMNS * ROWS));
        String tile = "tile=" + COLUMNS + "x" + ROWS + ":padding=" + PADDING + ":margin=" + MARGIN;
        List<String> a = new ArrayList<>(List.of(ffmpeg.toString(), "-v", "error", "-y"));
        if (Files.isDirectory(video)) {
            a.addAll(input(video, fps));
            a.addAll(List.of("-vf", "select='not(mod(n\\," + step + "))',scale=" + THUMB_WIDTH + ":-2," + tile,
                    "-frames:v", "1", "-fps_mode", "vfr", "-update", "1", out.toString()));
            return a;
        }
        int tiles = Math.max(1, Math.min(COLUMNS * ROWS, totalFrames));
        StringBuilder graph = new StringBuilder();
        for (int i = 0; i < tiles; i++) {
            a.addAll(List.of("-ss", seekSeconds(i * step, fps), "-i", video.toString()));
            graph.append('[').append(i).append(":v]trim=end_frame=1,setpts=PTS-STARTPTS,scale=").append(THUMB_WIDTH)
                    .append(":-2[t").append(i).append("];");
        }
        for (int i = 0; i < tiles; i++) {
            graph.append("[t").append(i).append(']');
        }
        graph.append("concat=n=").append(tiles).append(":v=1:a=0,").append(tile).append("[sheet]");
        a.addAll(List.of("-filter_complex", graph.toString(), "-map", "[sheet]", "-frames:v", "1", "-update", "1",
                out.toString()));
        return a;
    }

    public static List<String> posterArgs(Path ffmpeg, Path video, int fps, int totalFrames, Path out) {
        List<String> a = new ArrayList<>(List.of(ffmpeg.toString(), "-v", "error", "-y"));
        if (Files.isDirectory(video)) {
            a.addAll(input(video, fps));
            a.addAll(List.of("-vf", "select='eq(n\\," + posterFrame(totalFrames) + ")'",
                    "-frames:v", "1", "-fps_mode", "vfr", "-update", "1", out.toString()));
            return a;
        }
        a.addAll(List.of("-ss", seekSeconds(posterFrame(totalFrames), fps), "-i", video.toString(),
                "-frames:v", "1", "-update", "1", out.toString()));
        return a;
    }

    /**
     * Where to seek for frame {@code n}: a quarter frame before its time, so ffmpeg's exact seek (which drops the
     * frames before the position) starts at frame n whatever the rounding of n / fps in the stream's time base.
     */
    static String seekSeconds(int frame, int fps) {
        double t = Math.max(0, (frame - 0.25) / fps);
        return String.format(java.util.Locale.ROOT, "%.6f", t);
    }

    /** Runs one of the argument lists above; an ffmpeg failure is ENCODE_FAILED with its last lines. */
    public static Path run(List<String> args, String what) {
        Path out = Path.of(args.getLast());
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String log;
            try {
                log = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) {
                    throw new RenderException(ErrorCode.ENCODE_FAILED, what + " failed: " + RenderException.tail(log, 5));
                }
            } finally {
                p.destroyForcibly();
            }
            if (!Files.isRegularFile(out) || Files.size(out) == 0) {
                throw new RenderException(ErrorCode.ENCODE_FAILED, what + " failed: ffmpeg wrote no picture: "
                        + RenderException.tail(log, 5));
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.ENCODE_FAILED, what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while drawing the " + what);
        }
        return out;
    }
}
