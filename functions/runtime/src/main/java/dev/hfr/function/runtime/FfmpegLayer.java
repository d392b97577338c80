package dev.hfr.function.runtime;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds ffmpeg and ffprobe with the ffmpeg layer's directory ({@value #DEFAULT_LAYER_BIN}) searched before
 * {@code PATH}: Lambda's default PATH ends with /opt/bin, and an ffmpeg elsewhere on it must not win. The
 * engine's {@code FfmpegTools} reads env {@code HFR_FFMPEG_PATH}/{@code PATH}, which a JVM cannot change for
 * itself, so the function's configuration sets {@code PATH} to {@link #pathValue()}; the cold start only
 * checks that it did (see {@code ColdStart}).
 */
public record FfmpegLayer(Path ffmpeg, Path ffprobe, List<String> searchPath) {
    public static final String LAYER_BIN_ENV = "HFR_FFMPEG_LAYER_BIN";
    public static final String DEFAULT_LAYER_BIN = "/opt/bin";

    /** The search order: the layer's bin first, then each PATH entry (duplicates of the layer dropped). */
    public static List<String> searchPath(String layerBin, String pathEnv) {
        List<String> dirs = new ArrayList<>();
        dirs.add(layerBin);
        if (pathEnv != null) {
            for (String d : pathEnv.split(File.pathSeparator)) {
                if (!d.isBlank() && !dirs.contains(d)) {
                    dirs.add(d);
                }
            }
        }
        return List.copyOf(dirs);
    }

    /** Resolves both tools from {@code HFR_FFMPEG_LAYER_BIN} (default /opt/bin) then {@code PATH}; a missing tool is null. */
    public static FfmpegLayer resolve(Map<String, String> env) {
        List<String> dirs = searchPath(env.getOrDefault(LAYER_BIN_ENV, DEFAULT_LAYER_BIN), env.get("PATH"));
        return new FfmpegLayer(find(dirs, "ffmpeg"), find(dirs, "ffprobe"), dirs);
    }

    /** The value to give child processes' PATH so that a bare {@code ffmpeg} is the layer's. */
    public String pathValue() {
        return String.join(File.pathSeparator, searchPath);
    }

    private static Path find(List<String> dirs, String tool) {
        for (String d : dirs) {
            Path p = Path.of(d, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
