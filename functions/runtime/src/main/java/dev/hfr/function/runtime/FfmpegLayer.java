package dev.hfr.function.runtime;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The ffmpeg layer holds {@code ffmpeg.gz} and {@code ffprobe.gz} (static linux-x64 builds, gzip -9) in
 * {@value #DEFAULT_LAYER_DIR}: stored uncompressed they took 147 MB of Lambda's 250 MB unzipped limit, gzipped
 * 52 MB. The cold start inflates them into {@value #DEFAULT_BIN_DIR} (the JDK's native zlib: about 0.5 s each
 * here), the way {@link SparticuzChromium} unpacks the browser.
 *
 * <p>{@link ColdStart} puts the two paths into the settings the engine is built from, in place of
 * {@code HFR_FFMPEG_PATH}/{@code HFR_FFPROBE_PATH}/{@code PATH}.
 *
 * @param ffmpeg          the unpacked ffmpeg
 * @param ffprobe         the unpacked ffprobe
 * @param alreadyUnpacked true when both were there already (a warm container or a SnapStart restore)
 * @param durationMillis  time spent checking and unpacking
 */
public record FfmpegLayer(Path ffmpeg, Path ffprobe, boolean alreadyUnpacked, long durationMillis) {
    /** Env var naming the directory with {@code ffmpeg.gz} and {@code ffprobe.gz}; default {@value #DEFAULT_LAYER_DIR}. */
    public static final String LAYER_DIR_ENV = "HFR_FFMPEG_LAYER_DIR";
    /** Env var naming where to unpack; default {@value #DEFAULT_BIN_DIR} (/tmp is Lambda's only writable place). */
    public static final String BIN_DIR_ENV = "HFR_FFMPEG_BIN_DIR";
    public static final String DEFAULT_LAYER_DIR = "/opt/ffmpeg";
    public static final String DEFAULT_BIN_DIR = "/tmp/bin";
    static final String SUFFIX = ".gz";

    private static final int BUFFER_BYTES = 1 << 16;

    /** True when {@code layerDir} holds the compressed ffmpeg (on Lambda: the ffmpeg layer is attached). */
    public static boolean present(Path layerDir) {
        return Files.isRegularFile(layerDir.resolve("ffmpeg" + SUFFIX));
    }

    /**
     * Unpacks from {@code HFR_FFMPEG_LAYER_DIR} (default /opt/ffmpeg) into {@code HFR_FFMPEG_BIN_DIR} (default
     * /tmp/bin), or returns null when no compressed ffmpeg is there (not on Lambda, or a container image with
     * ffmpeg installed: the engine then finds it on {@code HFR_FFMPEG_PATH}/{@code PATH} as usual).
     */
    public static FfmpegLayer installFromEnvironment(Map<String, String> env) {
        Path layerDir = Path.of(env.getOrDefault(LAYER_DIR_ENV, DEFAULT_LAYER_DIR));
        if (!present(layerDir)) {
            return null;
        }
        return install(layerDir, Path.of(env.getOrDefault(BIN_DIR_ENV, DEFAULT_BIN_DIR)));
    }

    /**
     * Inflates {@code layerDir/ffmpeg.gz} and {@code layerDir/ffprobe.gz} into {@code binDir} (mode 0755),
     * skipping a tool whose executable already exists. Each is written under a temporary name and renamed, so
     * an interrupted cold start never leaves a truncated binary that a later start would take as unpacked.
     *
     * @throws RenderException FFMPEG_UNAVAILABLE naming the missing archive or the I/O failure
     */
    public static FfmpegLayer install(Path layerDir, Path binDir) {
        long t0 = System.nanoTime();
        Path ffmpeg = binDir.resolve("ffmpeg");
        Path ffprobe = binDir.resolve("ffprobe");
        boolean already = Files.isExecutable(ffmpeg) && Files.isExecutable(ffprobe);
        if (!already) {
            try {
                Files.createDirectories(binDir);
                inflate(layerDir, "ffmpeg", ffmpeg);
                inflate(layerDir, "ffprobe", ffprobe);
            } catch (IOException e) {
                throw new RenderException(ErrorCode.FFMPEG_UNAVAILABLE, "cannot unpack ffmpeg/ffprobe from "
                        + layerDir + " into " + binDir + ": " + e, e);
            }
        }
        return new FfmpegLayer(ffmpeg, ffprobe, already, (System.nanoTime() - t0) / 1_000_000);
    }

    private static void inflate(Path layerDir, String tool, Path target) throws IOException {
        if (Files.isExecutable(target)) {
            return;
        }
        Path archive = layerDir.resolve(tool + SUFFIX);
        if (!Files.isRegularFile(archive)) {
            throw new RenderException(ErrorCode.FFMPEG_UNAVAILABLE, archive + " is missing: expected the ffmpeg"
                    + " layer (ffmpeg.gz and ffprobe.gz) in " + layerDir + " (set " + LAYER_DIR_ENV + " to its directory)");
        }
        Path partial = target.resolveSibling(tool + "." + ProcessHandle.current().pid() + ".partial");
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), BUFFER_BYTES),
                BUFFER_BYTES);
             OutputStream out = Files.newOutputStream(partial)) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
