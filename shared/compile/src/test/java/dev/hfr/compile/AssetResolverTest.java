package dev.hfr.compile;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CDN, Google Fonts and urls.tsv resolution against the real cache, never the network. */
@Tag("integration")
class AssetResolverTest {
    static Path cache;
    static AssetResolver resolver;

    @BeforeAll
    static void setUp() throws Exception {
        cache = TestAssetCache.sharedCache();
        resolver = AssetResolver.create(cache, false, NpmRegistry.offline());
    }

    @Test
    void cdnjsGsapMapsToTheNpmDistFileOfThatVersion() {
        ResolvedAsset a = resolver.resolve("https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.2/gsap.min.js");
        assertEquals(cache.resolve("npm/gsap@3.12.2/dist/gsap.min.js").toAbsolutePath().normalize(), a.file());
        assertEquals("text/javascript", a.contentType());
        assertEquals("cache", a.source());
    }

    /** gsap@3 (as HyperFrames' fixtures write it): offline, the newest cached 3.x; a range nothing matches is refused. */
    @Test
    void aMajorVersionRangeResolvesToTheNewestMatchingCachedVersionOffline() throws Exception {
        String newest3;
        try (var s = java.nio.file.Files.list(cache.resolve("npm"))) {
            newest3 = NpmRegistry.newest(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gsap@3."))
                    .map(n -> n.substring("gsap@".length())).toList()).orElseThrow();
        }
        assertEquals(cache.resolve("npm/gsap@" + newest3 + "/dist/gsap.min.js").toAbsolutePath().normalize(),
                resolver.resolve("https://cdn.jsdelivr.net/npm/gsap@3/dist/gsap.min.js").file());
        RenderException e = assertThrows(RenderException.class,
                () -> resolver.resolve("https://cdn.jsdelivr.net/npm/gsap@2/dist/gsap.min.js", "<script src> in x.html"));
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("gsap@2") && e.getMessage().contains("offline"), e.getMessage());
    }

    @Test
    void jsdelivrAndUnpkgMapToTheExactVersionOnly() {
        assertEquals(cache.resolve("npm/gsap@3.14.2/dist/gsap.min.js").toAbsolutePath().normalize(),
                resolver.resolve("https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js").file());
        assertEquals(cache.resolve("npm/gsap@3.12.7/dist/gsap.min.js").toAbsolutePath().normalize(),
                resolver.resolve("https://unpkg.com/gsap@3.12.7/dist/gsap.min.js").file());
        RenderException e = assertThrows(RenderException.class,
                () -> resolver.resolve("https://cdn.jsdelivr.net/npm/gsap@3.12.6/dist/gsap.min.js", "<script src> in x.html"));
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("gsap@3.12.6") && e.getMessage().contains("<script src> in x.html"),
                e.getMessage());
    }

    @Test
    void renamedCdnjsLibrariesMapToTheirNpmPackages() throws Exception {
        String lottie = Files.list(cache.resolve("npm")).map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("lottie-web@")).findFirst().orElseThrow();
        String version = lottie.substring("lottie-web@".length());
        ResolvedAsset a = resolver.resolve("https://cdnjs.cloudflare.com/ajax/libs/bodymovin/" + version + "/lottie.min.js");
        assertEquals("lottie.min.js", a.file().getFileName().toString());
        assertTrue(a.file().startsWith(cache.resolve("npm/" + lottie).toAbsolutePath().normalize()), a.file().toString());
    }

    @Test
    void googleFontsCssPointsAtFontsourceFilesThatResolve() throws Exception {
        ResolvedAsset css = resolver.resolve(
                "https://fonts.googleapis.com/css2?family=Playfair+Display:ital,wght@1,900&family=Bangers&display=swap");
        String text = Files.readString(css.file());
        assertEquals("text/css", css.contentType());
        assertTrue(text.contains("font-family: 'Playfair Display';\n  font-style: italic;\n  font-weight: 900;"), text);
        assertTrue(text.contains("font-family: 'Bangers';\n  font-style: normal;\n  font-weight: 400;"), text);
        assertTrue(text.contains("font-display: swap;") && text.contains("unicode-range: U+0000-00FF"), text);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("url\\((\\S+)\\)").matcher(text);
        int n = 0;
        while (m.find()) {
            ResolvedAsset font = resolver.resolve(m.group(1));
            assertEquals("font/woff2", font.contentType());
            assertTrue(Files.size(font.file()) > 1000);
            n++;
        }
        assertEquals(2, n);
    }

    @Test
    void aWeightTheFamilyLacksDrawsTheWeightsItHasWithAWarningAsHyperFramesDoes() throws Exception {
        ResolvedAsset css = resolver.resolve("https://fonts.googleapis.com/css2?family=Bangers:wght@700");
        String text = Files.readString(css.file());
        assertTrue(text.contains("font-family: 'Bangers';\n  font-style: normal;\n  font-weight: 400;"), text);
        assertTrue(text.contains("/bangers-latin-400-normal.woff2"), text);
        assertTrue(!text.contains("font-weight: 700"), text);
        assertTrue(resolver.warnings().stream().anyMatch(w -> w.contains("'Bangers' has no weight 700 normal")),
                resolver.warnings().toString());
    }

    @Test
    void urlsTsvEntriesResolveAndUnknownUrlsDoNotTouchTheNetwork(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("clip.mp4");
        Files.writeString(file, "not really a video");
        Files.writeString(tmp.resolve("urls.tsv"), "https://media.example/clip.mp4\t" + file + "\n");
        AssetResolver own = AssetResolver.create(tmp, false, NpmRegistry.offline());

        assertEquals(file.toAbsolutePath().normalize(), own.resolve("https://media.example/clip.mp4#t=1").file());
        assertEquals("video/mp4", own.resolve("https://media.example/clip.mp4").contentType());
        RenderException e = assertThrows(RenderException.class, () -> own.resolve("https://media.example/other.mp4"));
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("is not in the asset cache " + tmp.toAbsolutePath().normalize()), e.getMessage());
    }

    /** Generated CSS lives in a temp folder of the resolver's own; closing it (the plan does) removes the folder. */
    @Test
    void closingTheResolverRemovesTheFolderOfGeneratedFiles() throws Exception {
        Path generated;
        try (AssetResolver own = AssetResolver.create(cache, false, NpmRegistry.offline())) {
            generated = own.resolve("https://fonts.googleapis.com/css2?family=Bangers").file();
            assertTrue(Files.isRegularFile(generated), generated.toString());
            assertTrue(!generated.startsWith(cache.toAbsolutePath().normalize()), "generated inside the cache: " + generated);
        }
        assertTrue(!Files.exists(generated.getParent()), "left behind: " + generated.getParent());
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(AssetResolver.compareVersions("5.10.0", "5.9.9") > 0);
        assertEquals(0, AssetResolver.compareVersions("5.3", "5.3.0"));
    }
}
