package dev.hfr.function.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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

/** The production cold start (no test Engine): unpack, publish, Micronaut context, Engine from EngineFactory. */
class ColdStartTest {

    @AfterEach
    void clearPublishedProperties() {
        System.clearProperty(ChromiumInstall.PATH_PROPERTY);
        ChromiumInstall.publishedEnv().keySet().forEach(k -> System.clearProperty(ChromiumInstall.ENV_PROPERTY_PREFIX + k));
    }

    @Test
    void sparticuzColdStartPublishesTheBrowserAndBuildsTheEngine(@TempDir Path tmp) {
        Path layer = SparticuzChromiumTest.layerDir();
        Assumptions.assumeTrue(Files.isRegularFile(layer.resolve("chromium.br")),
                "run scripts/package-lambda.sh --npm-only first: no " + layer.resolve("chromium.br"));
        Path root = tmp.resolve("tmp");
        Map<String, String> env = Map.of(SparticuzChromium.SOURCE_ENV, "sparticuz",
                SparticuzChromium.LAYER_DIR_ENV, layer.toString(),
                SparticuzChromium.ROOT_ENV, root.toString(),
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));

        ColdStart cold = ColdStart.start(env);
        try {
            assertEquals(root.resolve("chromium"), cold.chromium().executable());
            assertEquals(root.resolve("chromium").toString(), System.getProperty(ChromiumInstall.PATH_PROPERTY));
            assertEquals(root.resolve("fonts").toString(), ChromiumInstall.publishedEnv().get("FONTCONFIG_PATH"));
            assertNotNull(cold.engine());
            assertTrue(cold.context().isRunning());
            assertTrue(cold.timings().chromiumMillis() >= 0);
            assertFalse(cold.timings().chromiumAlreadyUnpacked());
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
            assertNull(System.getProperty(ChromiumInstall.PATH_PROPERTY));
            assertEquals(-1, cold.timings().chromiumMillis());
            assertFalse(Files.exists(tmp.resolve("chromium")));
            assertNotNull(cold.engine());
        } finally {
            cold.close();
        }
    }
}
