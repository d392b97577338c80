package dev.hfr.ffmpeg;

import dev.hfr.ffmpeg.internal.ProcessRunner;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ffmpeg and ffprobe executables this worker uses. Found from {@code HFR_FFMPEG_PATH} /
 * {@code HFR_FFPROBE_PATH}, else from {@code PATH} (ffprobe also next to ffmpeg). The version string
 * is what the plan records, so a worker with a different ffmpeg can refuse the plan
 * ({@link ErrorCode#FFMPEG_VERSION_MISMATCH}).
 */
public final class FfmpegTools {
    public static final String FFMPEG_ENV = "HFR_FFMPEG_PATH";
    public static final String FFPROBE_ENV = "HFR_FFPROBE_PATH";
    private static final Pattern VERSION = Pattern.compile("^ff(?:mpeg|probe) version (\\S+)");

    private final Path ffmpeg;
    private final Path ffprobe;
    private volatile String version;

    private FfmpegTools(Path ffmpeg, Path ffprobe) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
    }

    /**
     * Finds the executables from {@value #FFMPEG_ENV}, {@value #FFPROBE_ENV} and {@code PATH} in {@code env}
     * (the composition root passes its settings; tests pass {@code System.getenv()}); missing -> FFMPEG_UNAVAILABLE.
     */
    public static FfmpegTools locate(Map<String, String> env) {
        Path ffmpeg = fromEnvOrPath(env, FFMPEG_ENV, "ffmpeg", null);
        Path ffprobe = fromEnvOrPath(env, FFPROBE_ENV, "ffprobe", ffmpeg.getParent());
        return new FfmpegTools(ffmpeg, ffprobe);
    }

    /** Uses the given executables; each must exist and be executable. */
    public static FfmpegTools of(Path ffmpeg, Path ffprobe) {
        return new FfmpegTools(checkExecutable(ffmpeg, "ffmpeg path"), checkExecutable(ffprobe, "ffprobe path"));
    }

    public Path ffmpeg() {
        return ffmpeg;
    }

    public Path ffprobe() {
        return ffprobe;
    }

    /** ffmpeg's version as printed by {@code ffmpeg -version}, e.g. {@code 5.1.9-0+deb12u1}; cached. */
    public String version() {
        String v = version;
        if (v == null) {
            ProcessRunner.Result r = ProcessRunner.run(List.of(ffmpeg.toString(), "-hide_banner", "-version"),
                    Duration.ofSeconds(30), ErrorCode.FFMPEG_UNAVAILABLE);
            Matcher m = VERSION.matcher(r.stdout().lines().findFirst().orElse(""));
            if (!r.ok() || !m.find()) {
                throw new RenderException(ErrorCode.FFMPEG_UNAVAILABLE, ffmpeg + " -version did not print"
                        + " 'ffmpeg version X' (exit " + r.exitCode() + "): " + r.stderrTail());
            }
            v = m.group(1);
            version = v;
        }
        return v;
    }

    private static Path fromEnvOrPath(Map<String, String> env, String variable, String name, Path preferredDir) {
        String configured = env.get(variable);
        if (configured != null && !configured.isBlank()) {
            return checkExecutable(Path.of(configured), variable);
        }
        if (preferredDir != null) {
            Path sibling = preferredDir.resolve(name);
            if (Files.isRegularFile(sibling) && Files.isExecutable(sibling)) {
                return sibling;
            }
        }
        String pathVar = Objects.requireNonNullElse(env.get("PATH"), "");
        for (String dir : pathVar.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new RenderException(ErrorCode.FFMPEG_UNAVAILABLE, name + " not found: set " + variable
                + " to its path or put it on PATH (searched: " + pathVar + ")");
    }

    private static Path checkExecutable(Path p, String what) {
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new RenderException(ErrorCode.FFMPEG_UNAVAILABLE, what + " = " + p
                    + " is not an executable file");
        }
        return p;
    }

    @Override
    public String toString() {
        return "FfmpegTools[ffmpeg=" + ffmpeg + ", ffprobe=" + ffprobe + "]";
    }
}
