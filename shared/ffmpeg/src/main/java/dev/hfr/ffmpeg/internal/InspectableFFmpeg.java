package dev.hfr.ffmpeg.internal;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;

import java.nio.file.Path;
import java.util.List;

/** Jaffree's {@link FFmpeg} that also shows the arguments it will run with (Jaffree builds them in a protected method). */
public final class InspectableFFmpeg extends FFmpeg {
    public InspectableFFmpeg(Path executable) {
        super(executable);
    }

    /** The command line after the executable. */
    public List<String> arguments() {
        return List.copyOf(buildArguments());
    }
}
