package dev.hfr.function.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FfmpegLayerTest {

    @Test
    void layerBinComesFirstWithoutDuplicates() {
        assertEquals(List.of("/opt/bin", "/usr/local/bin", "/usr/bin/", "/bin"),
                FfmpegLayer.searchPath("/opt/bin", "/usr/local/bin:/usr/bin/:/bin:/opt/bin"));
    }

    @Test
    void layerFfmpegWinsOverOneOnPath(@TempDir Path tmp) throws IOException {
        Path layer = executable(tmp.resolve("layer"), "ffmpeg");
        executable(tmp.resolve("layer"), "ffprobe");
        Path system = executable(tmp.resolve("usr-bin"), "ffmpeg");

        FfmpegLayer found = FfmpegLayer.resolve(Map.of(FfmpegLayer.LAYER_BIN_ENV, tmp.resolve("layer").toString(),
                "PATH", system.getParent().toString()));

        assertEquals(layer, found.ffmpeg());
        assertEquals(tmp.resolve("layer/ffprobe"), found.ffprobe());
        assertEquals(tmp.resolve("layer") + ":" + tmp.resolve("usr-bin"), found.pathValue());
    }

    @Test
    void fallsBackToPathAndReportsMissingTools(@TempDir Path tmp) throws IOException {
        Path system = executable(tmp.resolve("usr-bin"), "ffmpeg");
        Files.createDirectories(tmp.resolve("empty-layer"));
        Path notExecutable = Files.writeString(tmp.resolve("usr-bin/ffprobe"), "#!/bin/sh\n");

        FfmpegLayer found = FfmpegLayer.resolve(Map.of(FfmpegLayer.LAYER_BIN_ENV, tmp.resolve("empty-layer").toString(),
                "PATH", system.getParent().toString()));

        assertEquals(system, found.ffmpeg());
        assertNull(found.ffprobe(), "a non-executable " + notExecutable + " is not a tool");
    }

    private static Path executable(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
