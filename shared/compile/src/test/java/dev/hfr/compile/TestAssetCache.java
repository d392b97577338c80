package dev.hfr.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: the shared offline asset cache (filled once by scripts/fetch-assets.sh when empty) and
 * temporary caches that add the remote-media stand-ins without touching the shared one.
 */
final class TestAssetCache {
    private static Path shared;

    private TestAssetCache() {
    }

    static Path repoRoot() {
        String prop = System.getProperty("hfr.repo.root");
        Path p = prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/fetch-assets.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repo root (scripts/fetch-assets.sh) from " + prop);
        }
        return p.toAbsolutePath().normalize();
    }

    /** ../shared/fixtures (only in {@code @RequiresSharedFixtures} tests). */
    static Path fixtures() {
        return dev.hfr.testsupport.SharedFixtures.dir();
    }

    /** The cache tests share; runs fetch-assets.sh once if it lacks the pinned GSAP build. */
    static synchronized Path sharedCache() throws Exception {
        if (shared != null) {
            return shared;
        }
        Path cache = System.getenv("HFR_ASSET_CACHE") != null ? Paths.get(System.getenv("HFR_ASSET_CACHE"))
                : repoRoot().resolve(".cache/assets");
        if (!complete(cache)) {
            runFetchAssets(cache, List.of());
        }
        shared = cache;
        return cache;
    }

    /** What the tests rely on; anything missing means fetch-assets.sh has not run (fully) here yet. */
    private static boolean complete(Path cache) throws IOException {
        for (String version : List.of("3.12.2", "3.12.7", "3.14.2")) {
            if (!Files.isRegularFile(cache.resolve("npm/gsap@" + version + "/dist/gsap.min.js"))) {
                return false;
            }
        }
        Path fonts = cache.resolve("npm/@fontsource");
        for (String id : List.of("space-mono", "inter", "montserrat", "bangers", "lobster", "playfair-display",
                "press-start-2p", "syncopate", "jetbrains-mono", "eb-garamond")) {
            try (var s = Files.isDirectory(fonts) ? Files.list(fonts) : java.util.stream.Stream.<Path>empty()) {
                if (s.noneMatch(p -> p.getFileName().toString().startsWith(id + "@"))) {
                    return false;
                }
            }
        }
        return Files.isDirectory(cache.resolve("npm"))
                && Files.list(cache.resolve("npm")).anyMatch(p -> p.getFileName().toString().startsWith("lottie-web@"));
    }

    /**
     * A temporary cache: the shared npm packages (linked, not copied) plus the remote-media url map,
     * seeded through fetch-assets.sh --url-map so the script's url-map path is exercised too.
     */
    static Path tempCacheWithRemoteMedia(Path tmp) throws Exception {
        Path cache = tmp.resolve("asset-cache");
        Files.createDirectories(cache);
        Files.createSymbolicLink(cache.resolve("npm"), sharedCache().resolve("npm").toAbsolutePath());
        runFetchAssets(cache, List.of("--url-map", fixtures().resolve("remote-media/urls.tsv").toString()));
        return cache;
    }

    static void runFetchAssets(Path cache, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", repoRoot().resolve("scripts/fetch-assets.sh").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HFR_ASSET_CACHE", cache.toAbsolutePath().toString());
        Path log = Files.createTempFile("fetch-assets", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "fetch-assets.sh did not finish in 10 minutes");
        assertEquals(0, p.exitValue(), "fetch-assets.sh failed:\n" + Files.readString(log));
    }
}
