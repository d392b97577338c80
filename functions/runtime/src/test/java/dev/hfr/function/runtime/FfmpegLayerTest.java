package dev.hfr.function.runtime;

import org.junit.jupiter.api.Tag;

import dev.hfr.engine.HfrSettings;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cold start path for the gzipped ffmpeg layer: inflate into a temp dir standing in for /tmp/bin, then run
 * the unpacked binaries. The fast tests gzip this machine's Debian ffmpeg/ffprobe; {@link #packagedLayerRuns}
 * uses the real target/lambda/ffmpeg-layer.zip (the static builds) when scripts/package-lambda.sh made it.
 */
@Tag("integration")
class FfmpegLayerTest {
    private static final Path SYSTEM_FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final Path SYSTEM_FFPROBE = Path.of("/usr/bin/ffprobe");

    @Test
    void unpacksBothToolsExecutableAndTheyRun(@TempDir Path tmp) throws Exception {
        Path layer = gzipSystemTools(tmp.resolve("opt-ffmpeg"));
        Path bin = tmp.resolve("tmp/bin");

        FfmpegLayer unpacked = FfmpegLayer.install(layer, bin);

        assertFalse(unpacked.alreadyUnpacked());
        assertEquals(bin.resolve("ffmpeg"), unpacked.ffmpeg());
        assertEquals(bin.resolve("ffprobe"), unpacked.ffprobe());
        assertArrayEquals(Files.readAllBytes(SYSTEM_FFMPEG), Files.readAllBytes(unpacked.ffmpeg()));
        assertArrayEquals(Files.readAllBytes(SYSTEM_FFPROBE), Files.readAllBytes(unpacked.ffprobe()));
        assertTrue(Files.isExecutable(unpacked.ffmpeg()) && Files.isExecutable(unpacked.ffprobe()));
        assertTrue(run(unpacked.ffmpeg(), "-version").startsWith("ffmpeg version "));
        assertTrue(run(unpacked.ffprobe(), "-version").startsWith("ffprobe version "));
        try (var files = Files.list(bin)) {
            assertEquals(List.of("ffmpeg", "ffprobe"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no .partial file may be left behind");
        }
    }

    @Test
    void warmStartSkipsAndAHalfUnpackedDirIsCompleted(@TempDir Path tmp) throws Exception {
        Path layer = gzipSystemTools(tmp.resolve("opt-ffmpeg"));
        Path bin = tmp.resolve("bin");
        FfmpegLayer.install(layer, bin);
        FileTime before = Files.getLastModifiedTime(bin.resolve("ffmpeg"));
        Files.setLastModifiedTime(bin.resolve("ffmpeg"), FileTime.fromMillis(before.toMillis() - 60_000));
        FileTime marked = Files.getLastModifiedTime(bin.resolve("ffmpeg"));

        FfmpegLayer warm = FfmpegLayer.install(layer, bin);
        assertTrue(warm.alreadyUnpacked());
        assertEquals(marked, Files.getLastModifiedTime(bin.resolve("ffmpeg")), "a warm start must not rewrite ffmpeg");

        Files.delete(bin.resolve("ffprobe"));
        FfmpegLayer repaired = FfmpegLayer.install(layer, bin);
        assertFalse(repaired.alreadyUnpacked());
        assertEquals(marked, Files.getLastModifiedTime(bin.resolve("ffmpeg")), "only the missing tool is unpacked");
        assertTrue(run(repaired.ffprobe(), "-version").startsWith("ffprobe version "));
    }

    @Test
    void missingArchiveIsFfmpegUnavailableNamingIt(@TempDir Path tmp) throws Exception {
        Path layer = gzipSystemTools(tmp.resolve("opt-ffmpeg"));
        Files.delete(layer.resolve("ffprobe.gz"));

        RenderException e = assertThrows(RenderException.class, () -> FfmpegLayer.install(layer, tmp.resolve("bin")));

        assertEquals(ErrorCode.FFMPEG_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains(layer.resolve("ffprobe.gz").toString()), e.getMessage());
    }

    @Test
    void noLayerMeansNoUnpackingAndPathLookup(@TempDir Path tmp) {
        assertNull(FfmpegLayer.installFromEnvironment(Map.of(FfmpegLayer.LAYER_DIR_ENV, tmp.toString(),
                FfmpegLayer.BIN_DIR_ENV, tmp.resolve("bin").toString())));
        assertFalse(Files.exists(tmp.resolve("bin")));
        HfrSettings settings = ColdStart.settings(Map.of("PATH", "/usr/bin"), null, null);
        assertNull(settings.ffmpegPath(), "ffmpeg from PATH as anywhere else");
    }

    @Test
    void unpackedToolsReachTheEngineSettings(@TempDir Path tmp) throws Exception {
        Path layer = gzipSystemTools(tmp.resolve("opt-ffmpeg"));
        FfmpegLayer unpacked = FfmpegLayer.installFromEnvironment(Map.of(FfmpegLayer.LAYER_DIR_ENV, layer.toString(),
                FfmpegLayer.BIN_DIR_ENV, tmp.resolve("bin").toString()));

        FfmpegTools tools = ColdStart.settings(Map.of("PATH", "/nonexistent"), null, unpacked).ffmpegTools();

        assertEquals(tmp.resolve("bin/ffmpeg"), tools.ffmpeg());
        assertEquals(tmp.resolve("bin/ffprobe"), tools.ffprobe());
        assertTrue(run(SYSTEM_FFMPEG, "-version").contains(tools.version()), "version read through the unpacked binary");
    }

    @Test
    void packagedLayerRuns(@TempDir Path tmp) throws Exception {
        Path zip = Path.of(System.getProperty("hfr.repo.root", "../..")).resolve("target/lambda/ffmpeg-layer.zip");
        assertTrue(Files.isRegularFile(zip), "run scripts/package-lambda.sh first: no " + zip);
        Path opt = tmp.resolve("opt");
        unzip(zip, opt);

        long t0 = System.nanoTime();
        FfmpegLayer unpacked = FfmpegLayer.install(opt.resolve("ffmpeg"), tmp.resolve("tmp/bin"));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertTrue(Files.size(unpacked.ffmpeg()) > 50_000_000L, "the static ffmpeg build: " + Files.size(unpacked.ffmpeg()));
        assertTrue(run(unpacked.ffmpeg(), "-version").startsWith("ffmpeg version "));
        assertTrue(run(unpacked.ffprobe(), "-version").startsWith("ffprobe version "));
        System.out.println("{\"test\":\"packagedLayerRuns\",\"unpackMillis\":" + millis + "}");
    }

    /** A layer directory like /opt/ffmpeg: ffmpeg.gz and ffprobe.gz made from this machine's tools. */
    static Path gzipSystemTools(Path layer) throws IOException {
        assertTrue(Files.isExecutable(SYSTEM_FFMPEG) && Files.isExecutable(SYSTEM_FFPROBE),
                "needs Debian ffmpeg in /usr/bin");
        Files.createDirectories(layer);
        for (Path tool : List.of(SYSTEM_FFMPEG, SYSTEM_FFPROBE)) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(layer.resolve(tool.getFileName() + ".gz")))) {
                Files.copy(tool, out);
            }
        }
        return layer;
    }

    private static void unzip(Path zip, Path dest) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path target = dest.resolve(e.getName()).normalize();
                if (!target.startsWith(dest)) {
                    throw new IOException("unsafe entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }

    /** Runs a tool, waits with a deadline, returns stdout; fails on a non-zero exit. */
    static String run(Path exe, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(exe.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), exe + " did not finish within 30 s");
        assertEquals(0, p.exitValue(), exe + " " + String.join(" ", args) + " failed: " + out);
        return out;
    }
}
