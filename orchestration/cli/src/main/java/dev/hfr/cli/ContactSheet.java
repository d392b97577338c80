package dev.hfr.cli;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A 4x3 grid of evenly spaced thumbnails of a rendered video, for a person to check at a glance. */
final class ContactSheet {
    static final int COLUMNS = 4;
    static final int ROWS = 3;

    private ContactSheet() {
    }

    static List<String> args(Path ffmpeg, Path input, int totalFrames, Path out) {
        int step = Math.max(1, totalFrames / (COLUMNS * ROWS));
        List<String> a = new ArrayList<>(List.of(ffmpeg.toString(), "-v", "error", "-y", "-i", input.toString(), "-vf",
                "select='not(mod(n\\," + step + "))',scale=320:-2,tile=" + COLUMNS + "x" + ROWS + ":padding=4:margin=4",
                "-frames:v", "1", "-fps_mode", "vfr", out.toString()));
        return a;
    }

    static Path write(Path video, int totalFrames) {
        if (Files.isDirectory(video)) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "--contact-sheet needs a video output, not a frame directory");
        }
        Path out = video.resolveSibling(video.getFileName() + ".contact.png");
        try {
            Process p = new ProcessBuilder(args(Cli.settings().ffmpegTools().ffmpeg(), video, totalFrames, out))
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new RenderException(ErrorCode.ENCODE_FAILED, "contact sheet failed: " + RenderException.tail(log, 5));
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.ENCODE_FAILED, "contact sheet failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted");
        }
        return out;
    }
}
