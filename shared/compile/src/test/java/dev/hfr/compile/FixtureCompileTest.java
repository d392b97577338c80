package dev.hfr.compile;

import org.junit.jupiter.api.Tag;

import dev.hfr.testsupport.RequiresSharedFixtures;
import dev.hfr.model.RenderException;
import dev.hfr.model.ErrorCode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every HyperFrames fixture compiles into a page that references no remote URL: CDN libraries at the exact
 * version (or the version range) they name come from the asset cache or, at plan time, from the npm registry;
 * media the fixture copy lacks (its Git-LFS files, public URLs these machines cannot reach, other than the
 * remote-media stand-ins) are compiled as missing media, as {@code allowMissingMedia} does; a fixture whose entry
 * file itself is absent fails with ENTRY_FILE_NOT_FOUND.
 */
@Tag("integration")
@RequiresSharedFixtures
class FixtureCompileTest {
    private static final Pattern ANY_URL = Pattern.compile("https?://[^\\s\"')<>]+");
    private static final Pattern LOCAL_ASSET = Pattern.compile("((?:\\.\\./)*)(__hfr/assets/)?([0-9a-f]{16}/[A-Za-z0-9._-]+)");

    @TempDir
    static Path tmp;
    static AssetResolver resolver;

    @BeforeAll
    static void cache() throws Exception {
        resolver = AssetResolver.create(TestAssetCache.tempCacheWithRemoteMedia(tmp), false, NpmRegistry.fromEnvironment(System::getenv));
    }

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(TestAssetCache.fixtures().resolve("hyperframes"))) {
            return s.filter(p -> Files.isDirectory(p.resolve("src"))).map(p -> p.getFileName().toString()).sorted()
                    .toList().stream();
        }
    }

    private static Path src(String fixture) {
        return TestAssetCache.fixtures().resolve("hyperframes").resolve(fixture).resolve("src");
    }

    private static CompiledProject compile(String fixture) {
        // Fonts fail open as HyperFrames' local CLI renders these fixtures: some name system fonts no web
        // font stands in for (Impact), which a strict plan refuses with FONT_FETCH_FAILED.
        return ProjectCompiler.compile(src(fixture), new CompileOptions(null, Map.of(), true, "strict", false), resolver,
                tmp.resolve("out-" + fixture));
    }

    private static boolean hasEntry(String fixture) {
        return Files.isRegularFile(src(fixture).resolve("index.html"));
    }

    /**
     * Fixtures whose copy here lacks what they need, with the typed error that must say so: the entry file (Git
     * LFS), a symlinked folder the copy dropped, a package HyperFrames never published to npm.
     */
    private static final Map<String, ErrorCode> ABSENT_INPUTS = Map.of(
            "hf2550-video-subcomposition-ghost", ErrorCode.ENTRY_FILE_NOT_FOUND,
            "render-symlinked-assets", ErrorCode.ASSET_UNAVAILABLE,
            "hdr-regression", ErrorCode.ASSET_UNAVAILABLE);

    @ParameterizedTest
    @MethodSource("fixtures")
    void compilesWithNoRemoteUrlLeft(String fixture) throws IOException {
        if (ABSENT_INPUTS.containsKey(fixture)) {
            RenderException e = org.junit.jupiter.api.Assertions.assertThrows(RenderException.class, () -> compile(fixture));
            assertEquals(ABSENT_INPUTS.get(fixture), e.code(), e.getMessage());
            return;
        }
        CompiledProject compiled = compile(fixture);

        assertEquals("index.html", compiled.entryPath());
        Path index = compiled.root().resolve("index.html");
        String html = Files.readString(index, StandardCharsets.UTF_8);
        Document doc = Jsoup.parse(html);
        // what the compiler must resolve: scripts, stylesheets and everything CSS loads (fonts, @import, images);
        // media elements the copy cannot satisfy stay as missing media (allowMissingMedia), and URLs inside script
        // text (map tile templates, comments) are data the blocked page never reaches
        List<String> leftovers = new ArrayList<>();
        for (Element e : doc.select("script[src], link[href]")) {
            leftovers.addAll(remoteUrls(e.hasAttr("src") ? e.attr("src") : e.attr("href")));
        }
        for (Element e : doc.select("style")) {
            leftovers.addAll(remoteUrls(e.data()));
        }
        try (Stream<Path> s = Files.walk(compiled.root())) {
            for (Path css : s.filter(p -> p.toString().endsWith(".css")).toList()) {
                leftovers.addAll(remoteUrls(Files.readString(css, StandardCharsets.UTF_8)));
                assertLocalAssetsExist(css.getParent(), Files.readString(css, StandardCharsets.UTF_8), css);
            }
        }
        assertEquals(List.of(), leftovers, "remote script, style or font URLs left in " + fixture);
        assertLocalAssetsExist(compiled.root(), html, index);
        for (Element media : doc.select("video[src^=http], audio[src^=http], img[src^=http]")) {
            assertTrue(media.hasAttr("data-hfr-missing-media"), "a remote media URL left in " + fixture
                    + " must be marked missing: " + media);
        }

        Element first = doc.head().child(0);
        assertEquals("script", first.normalName());
        assertTrue(first.data().contains("window.__hfVariables"), first.data());
        List<Element> videos = doc.select("video");
        for (int i = 0; i < videos.size(); i++) {
            assertEquals("v" + i, videos.get(i).attr("data-hfr-video-id"));
            assertTrue(videos.get(i).hasAttr("muted"));
        }
        List<Element> audios = doc.select("audio");
        for (int i = 0; i < audios.size(); i++) {
            assertEquals("a" + i, audios.get(i).attr("data-hfr-audio-id"));
        }
        assertTrue(doc.select("[data-composition-src]:not([data-hfr-inlined])").isEmpty(), "all hosts inlined");
    }

    /** Remote URLs outside comments, but for images (a CSS background the copy cannot reach is missing media). */
    private static List<String> remoteUrls(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = ANY_URL.matcher(text.replaceAll("(?s)/\\*.*?\\*/", ""));
        while (m.find()) {
            if (m.group().matches("(?i).*\\.(png|jpe?g|gif|webp|svg)")) {
                continue;
            }
            if (!m.group().startsWith("http://www.w3.org/")) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** Every rewritten reference points at a file that was written. */
    private static void assertLocalAssetsExist(Path dir, String text, Path where) {
        Matcher m = LOCAL_ASSET.matcher(text);
        while (m.find()) {
            if (m.group(1).isEmpty() && m.group(2) == null) {
                continue;
            }
            Path p = dir.resolve(m.group()).normalize();
            assertTrue(Files.isRegularFile(p), m.group() + " referenced from " + where + " was not written");
        }
    }

    @Test
    void compilingTwiceGivesIdenticalOutput() throws IOException {
        CompileOptions failOpenFonts = new CompileOptions(null, Map.of(), false, "strict", false); // it names Impact
        CompiledProject a = ProjectCompiler.compile(src("sub-comp-t0"), failOpenFonts, resolver, tmp.resolve("twice-a"));
        CompiledProject b = ProjectCompiler.compile(src("sub-comp-t0"), failOpenFonts, resolver, tmp.resolve("twice-b"));
        assertEquals(Files.readString(a.root().resolve("index.html")), Files.readString(b.root().resolve("index.html")));
        assertEquals(a.resolvedUrls(), b.resolvedUrls());
    }

    @Test
    void pinnedGsapVersionIsTheOneServed() throws IOException {
        CompiledProject compiled = compile("mp4-h264-sdr");
        Document doc = Jsoup.parse(compiled.root().resolve("index.html").toFile());
        String src = doc.selectFirst("script[src*=gsap]").attr("src");
        assertTrue(src.matches("__hfr/assets/[0-9a-f]{16}/gsap\\.min\\.js"), src);
        String js = Files.readString(compiled.root().resolve(src));
        assertTrue(js.contains("3.12.2"), "cdnjs gsap/3.12.2 must be served as npm gsap@3.12.2");
        assertFalse(js.contains("3.14.2"));
    }

    @Test
    void nestedDepthThreeInlinesLevelThreeInDocumentOrder() throws IOException {
        CompiledProject compiled = compile("nested-subcomp-depth-3");
        String html = Files.readString(compiled.root().resolve("index.html"));
        assertTrue(html.contains("LEVEL3-PROOF-MARKER"));
        Document doc = Jsoup.parse(html);
        assertEquals("level-3.html", doc.selectFirst("#scene-level3").attr("data-hfr-inlined"));
        // as in HyperFrames, sub-composition scripts run after the document's own (main) and breadth
        // first: level 1, then level 2, then level 3, each after the libraries
        int level3 = html.indexOf("window.__timelines[\"level3\"]");
        int main = html.indexOf("window.__timelines[\"main\"]");
        assertTrue(main > 0 && main < level3, "main registers before level3");
        assertTrue(html.indexOf("__hfr/assets/") < level3);
        int level2 = html.indexOf("window.__timelines[\"level2\"]");
        assertTrue(main < level2 && level2 < level3, "level2 registers between main and level3");
    }

    @Test
    void remoteMediaComeFromTheSeededCacheAndFontsBecomeLocal() throws IOException {
        CompiledProject compiled = compile("many-cuts");
        Document doc = Jsoup.parse(compiled.root().resolve("index.html").toFile());
        Element audio = doc.selectFirst("audio");
        Path file = compiled.root().resolve(audio.attr("src"));
        assertTrue(Files.size(file) > 1000, "stand-in audio copied: " + file);
        Element fonts = doc.selectFirst("link[href$=.css][href*=google-fonts]");
        String css = Files.readString(compiled.root().resolve(fonts.attr("href")));
        for (String family : List.of("Bangers", "Lobster", "Montserrat", "Playfair Display", "Press Start 2P",
                "Syncopate")) {
            assertTrue(css.contains("font-family: '" + family + "'"), family + " in\n" + css);
        }
        assertTrue(css.contains("playfair-display-latin-900-italic.woff2"), css);
        Matcher m = Pattern.compile("url\\(\"([^\"]+)\"\\)").matcher(css);
        int fontFiles = 0;
        while (m.find()) {
            Path woff2 = compiled.root().resolve(fonts.attr("href")).getParent().resolve(m.group(1)).normalize();
            assertTrue(Files.size(woff2) > 1000, woff2.toString());
            fontFiles++;
        }
        assertEquals(6, fontFiles);
    }

    @Test
    void everyFixturePassesTheValidator() throws IOException {
        for (String fixture : fixtures().filter(f -> !ABSENT_INPUTS.containsKey(f)).toList()) {
            List<ProjectValidator.Problem> problems = ProjectValidator.validate(src(fixture), null, resolver).stream()
                    .filter(p -> !isAbsentMedia(fixture, p)).toList();
            assertEquals(List.of(), problems, fixture);
        }
    }

    /** A media reference the fixture copy cannot satisfy: a local file it lacks, or a URL nothing stands in for. */
    private static boolean isAbsentMedia(String fixture, ProjectValidator.Problem p) {
        if (!ErrorCode.ASSET_UNAVAILABLE.name().equals(p.code())) {
            return false;
        }
        String what = p.message() + " " + p.where();
        return what.contains("does not exist in the project") || what.matches("(?s).*https?://\\S+\\.(mp4|webm|mov|m4a|mp3|wav|png|jpe?g|gif|webp|svg)\\b.*");
    }
}
