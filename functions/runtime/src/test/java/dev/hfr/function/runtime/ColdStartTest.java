package dev.hfr.function.runtime;

import dev.hfr.engine.HfrSettings;
import org.junit.jupiter.api.Tag;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production cold start (no test Engine): unpack, settings with what was unpacked (no system property hand-off),
 * Micronaut context, Engine from EngineFactory.
 */
@Tag("integration")
class ColdStartTest {

    @AfterEach
    void clearPlaywrightProperty() {
        System.clearProperty(ColdStart.PLAYWRIGHT_DRIVER_TMPDIR);
    }

    @Test
    void ffmpegLayerIsUnpackedAndUsedByTheEngine(@TempDir Path tmp) throws Exception {
        Path layer = FfmpegLayerTest.gzipSystemTools(tmp.resolve("opt-ffmpeg"));
        Path bin = tmp.resolve("tmp/bin");
        Map<String, String> env = Map.of(FfmpegLayer.LAYER_DIR_ENV, layer.toString(),
                FfmpegLayer.BIN_DIR_ENV, bin.toString(), "PATH", "/nonexistent");

        ColdStart cold = ColdStart.start(env);
        try {
            assertEquals(bin.resolve("ffmpeg"), cold.ffmpeg().ffmpeg());
            assertEquals(bin.resolve("ffmpeg"), cold.settings().ffmpegTools().ffmpeg());
            assertEquals(bin.resolve("ffprobe"), cold.settings().ffmpegTools().ffprobe());
            assertEquals(cold.settings(), cold.context().getBean(HfrSettings.class));
            assertEquals(env, cold.environment(), "the environment the SQS handlers take their queues from");
            assertNull(System.getProperty("hfr.ffmpeg.path"), "no hand-off through system properties");
            assertTrue(cold.timings().ffmpegMillis() >= 0);
            assertFalse(cold.timings().ffmpegAlreadyUnpacked());
            assertTrue(FfmpegLayerTest.run(cold.ffmpeg().ffmpeg(), "-version").startsWith("ffmpeg version "));
            assertNotNull(cold.engine());
        } finally {
            cold.close();
        }
    }

    @Test
    void sparticuzColdStartPutsTheBrowserIntoTheSettingsAndBuildsTheEngine(@TempDir Path tmp) {
        Path layer = SparticuzChromiumTest.layerDir();
        assertTrue(Files.isRegularFile(layer.resolve("chromium.br")),
                "run scripts/package-lambda.sh --npm-only first: no " + layer.resolve("chromium.br"));
        Path root = tmp.resolve("tmp");
        Map<String, String> env = Map.of(SparticuzChromium.SOURCE_ENV, "sparticuz",
                SparticuzChromium.LAYER_DIR_ENV, layer.toString(),
                SparticuzChromium.ROOT_ENV, root.toString(),
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));

        ColdStart cold = ColdStart.start(env);
        try {
            assertEquals(root.resolve("chromium"), cold.chromium().executable());
            assertEquals(root.resolve("chromium"), cold.settings().browser().executable());
            assertEquals(root.resolve("fonts").toString(), cold.settings().browser().extraEnv().get("FONTCONFIG_PATH"));
            assertNull(System.getProperty("hfr.chromium.path"), "no hand-off through system properties");
            assertNotNull(cold.engine());
            assertTrue(cold.context().isRunning());
            assertTrue(cold.timings().chromiumMillis() >= 0);
            assertFalse(cold.timings().chromiumAlreadyUnpacked());
            assertEquals(root.toString(), System.getProperty(ColdStart.PLAYWRIGHT_DRIVER_TMPDIR),
                    "Playwright must extract its driver under the writable root");
        } finally {
            cold.close();
        }
    }

    @Test
    void withoutSparticuzNothingIsUnpacked(@TempDir Path tmp) {
        ColdStart cold = ColdStart.start(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                SparticuzChromium.ROOT_ENV, tmp.toString()));
        try {
            assertNull(cold.chromium());
            assertTrue(cold.settings().browser().extraEnv().isEmpty());
            assertEquals(-1, cold.timings().chromiumMillis());
            assertNull(cold.ffmpeg(), "no ffmpeg.gz in the default /opt/ffmpeg here");
            assertEquals(-1, cold.timings().ffmpegMillis());
            assertFalse(Files.exists(tmp.resolve("chromium")));
            assertNotNull(cold.engine());
        } finally {
            cold.close();
        }
    }
}
