package dev.hfr.engine;

import dev.hfr.compile.AssetResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The font tests' asset cache: GSAP 3.14.2 and the {@code @fontsource} packages a test draws with. */
final class OfflineFonts {
    private OfflineFonts() {
    }

    /**
     * The offline asset cache, after assuming (one line saying what is missing) that it holds gsap 3.14.2 and
     * every {@code @fontsource/<id>} of {@code fontsourceIds}.
     */
    static Path requireCache(String... fontsourceIds) {
        Path cache = AssetResolver.defaultCacheDir(System::getenv, System::getProperty);
        List<String> missing = Stream.of(fontsourceIds).filter(id -> !hasFontsource(cache, id)).toList();
        boolean gsap = Files.isDirectory(cache.resolve("npm/gsap@3.14.2"));
        assumeTrue(gsap && missing.isEmpty(), "skipped: the asset cache " + cache + " lacks "
                + (gsap ? "" : "gsap 3.14.2 ") + (missing.isEmpty() ? "" : "@fontsource/" + String.join(", ", missing))
                + " (run scripts/fetch-assets.sh)");
        return cache;
    }

    private static boolean hasFontsource(Path cache, String id) {
        try (var s = Files.list(cache.resolve("npm/@fontsource"))) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(id + "@"));
        } catch (IOException e) {
            return false;
        }
    }
}
