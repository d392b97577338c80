package dev.hfr.cli;

import dev.hfr.engine.assemble.Stills;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --contact-sheet}: the assemble step's contact sheet ({@link Stills}) beside a local video output. */
final class ContactSheet {
    private ContactSheet() {
    }

    static Path write(Path video, int fps, int totalFrames) {
        if (Files.isDirectory(video)) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "--contact-sheet needs a video output, not a frame directory");
        }
        Path out = video.resolveSibling(video.getFileName() + ".contact.png");
        return Stills.run(Stills.contactSheetArgs(Cli.settings().ffmpegTools().ffmpeg(), video, fps, totalFrames, out), "contact sheet");
    }
}
