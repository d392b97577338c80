package dev.hfr.compile;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiler behaviour on small projects written by the tests. */
@Tag("integration")
class ProjectCompilerTest {
    private static final String GSAP = "https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.2/gsap.min.js";
    static AssetResolver resolver;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cache() throws Exception {
        resolver = AssetResolver.create(TestAssetCache.sharedCache(), false, NpmRegistry.offline());
    }

    private Path project(Map<String, String> files) throws IOException {
        Path dir = tmp.resolve("project");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        return dir;
    }

    private static String page(String head, String body) {
        return "<!doctype html><html><head><script src=\"" + GSAP + "\"></script>" + head + "</head><body>"
                + "<div id=\"root\" data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1\">"
                + body + "</div><script>window.__timelines = window.__timelines || {};"
                + " window.__timelines[\"main\"] = gsap.timeline({paused: true});</script></body></html>";
    }

    private CompiledProject compile(Path project, CompileOptions options) {
        return ProjectCompiler.compile(project, options, resolver, tmp.resolve("out"));
    }

    /**
     * A nested composition's relative paths, as HyperFrames resolves them: "../x" against the nested file's
     * folder (clamped at the project root); "x" against that folder when the file is there, else against the
     * root; in src/href, style="" and <style> url(). (heygen-promo-preview-assets' compositions/scene.html shows
     * "../heygen-logo.png": ASSET_UNAVAILABLE before, the project root's file now.)
     */
    @Test
    void nestedCompositionPathsResolveAsHyperFramesResolvesThem() throws Exception {
        Path project = project(Map.of(
                "index.html", page("", "<div id=\"host\" data-composition-id=\"scene\""
                        + " data-composition-src=\"compositions/scene.html\"></div>"),
                "logo.png", "png", "root-only.png", "png", "bg.png", "png",
                "compositions/beside.png", "png",
                "compositions/scene.html", "<template><div data-composition-id=\"scene\">"
                        + "<style>#a { background: url('../bg.png'); }</style>"
                        + "<img id=\"up\" src=\"../logo.png\"><img id=\"clamped\" src=\"../../logo.png?v=1\">"
                        + "<img id=\"beside\" src=\"beside.png\"><img id=\"rootrel\" src=\"root-only.png\">"
                        + "<div id=\"a\" style=\"background-image: url(../bg.png)\"></div></div></template>"));
        CompiledProject c = compile(project, CompileOptions.defaults());
        Document doc = Jsoup.parse(c.root().resolve("index.html").toFile(), "UTF-8");
        assertEquals("logo.png", doc.getElementById("up").attr("src"));
        assertEquals("logo.png?v=1", doc.getElementById("clamped").attr("src"));
        assertEquals("compositions/beside.png", doc.getElementById("beside").attr("src"));
        assertEquals("root-only.png", doc.getElementById("rootrel").attr("src"));
        assertEquals("background-image: url(\"bg.png\")", doc.getElementById("a").attr("style"));
        assertTrue(doc.select("style").stream().anyMatch(st -> st.data().contains("url('bg.png')")),
                doc.select("style").toString());
    }

    @Test
    void variablesAreMergedInjectedAndBound() throws IOException {
        String schema = "[{\"id\":\"title\",\"type\":\"string\",\"label\":\"Title\",\"default\":\"Hello\"},"
                + "{\"id\":\"accent\",\"type\":\"color\",\"label\":\"Accent\",\"default\":\"#ff0000\"},"
                + "{\"id\":\"logo\",\"type\":\"image\",\"label\":\"Logo\",\"default\":\"logo.png\"}]";
        String childSchema = "[{\"id\":\"label\",\"type\":\"string\",\"default\":\"child default\"},"
                + "{\"id\":\"size\",\"type\":\"number\",\"default\":12}]";
        Path project = project(Map.of(
                "index.html", page("", "<h1 data-var-text=\"title\">authored</h1><img data-var-src=\"logo\" src=\"x.png\">"
                        + "<div id=\"host\" data-composition-id=\"child\" data-composition-src=\"compositions/child.html\""
                        + " data-variable-values='{\"label\":\"from host\"}'></div>")
                        .replace("<html>", "<html data-composition-variables='" + schema + "'>"),
                "logo.png", "png",
                "x.png", "png",
                "compositions/child.html", "<template><div data-composition-id=\"child\" data-composition-variables='"
                        + childSchema + "'><span id=\"label\" data-var-text=\"label\">?</span>"
                        + "<b id=\"size\" data-var-text=\"size\">?</b></div></template>"));

        CompiledProject compiled = compile(project, new CompileOptions(null, Map.of("title", "Override <b>"), false));

        Document doc = Jsoup.parse(compiled.root().resolve("index.html").toFile());
        assertEquals("Override <b>", doc.selectFirst("h1").text());
        assertEquals("logo.png", doc.selectFirst("img").attr("src"));
        assertEquals("from host", doc.selectFirst("#label").text());
        assertEquals("12", doc.selectFirst("#size").text());
        String script = doc.head().child(0).data();
        assertTrue(script.startsWith("window.__hfVariables = {\"title\":\"Override \\u003cb\\u003e\","
                + "\"accent\":\"#ff0000\",\"logo\":\"logo.png\"};"), script);
        assertTrue(script.contains("getVariables"), script);
        assertTrue(doc.selectFirst("html").attr("style").contains("--accent: #ff0000;"));
        assertTrue(doc.selectFirst("#host").attr("style").contains("--label: from host;"));
    }

    @Test
    void injectedScriptGivesGetVariablesAtRunTime() throws Exception {
        Path project = project(Map.of("index.html", page("", "")
                .replace("<html>", "<html data-composition-variables='[{\"id\":\"n\",\"default\":1}]'>")));
        CompiledProject compiled = compile(project, new CompileOptions(null, Map.of("n", 7), false));
        String script = Jsoup.parse(compiled.root().resolve("index.html").toFile()).head().child(0).data();
        Path js = tmp.resolve("probe.js");
        Files.writeString(js, "var window = {};\n" + script + "\nconsole.log(JSON.stringify(window.__hyperframes.getVariables()));");
        Process node = new ProcessBuilder("node", js.toString()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes()).trim();
        assertEquals(0, node.waitFor());
        assertEquals("{\"n\":7}", output);
    }

    @Test
    void compositionCycleIsNamed() throws IOException {
        Path project = project(Map.of(
                "index.html", page("", "<div data-composition-src=\"a.html\"></div>"),
                "a.html", "<template><div data-composition-id=\"a\"><div data-composition-src=\"b.html\"></div></div></template>",
                "b.html", "<template><div data-composition-id=\"b\"><div data-composition-src=\"a.html\"></div></div></template>"));

        RenderException e = assertThrows(RenderException.class, () -> compile(project, CompileOptions.defaults()));

        assertEquals(ErrorCode.COMPOSITION_INVALID, e.code());
        assertTrue(e.getMessage().contains("index.html -> a.html -> b.html -> a.html"), e.getMessage());
    }

    @Test
    void missingNestedCompositionNamesHostAndSrc() throws IOException {
        Path project = project(Map.of("index.html", page("", "<div id=\"h\" data-composition-src=\"nope.html\"></div>")));
        RenderException e = assertThrows(RenderException.class, () -> compile(project, CompileOptions.defaults()));
        assertEquals(ErrorCode.COMPOSITION_INVALID, e.code());
        assertTrue(e.getMessage().contains("<div id=\"h\" data-composition-src>") && e.getMessage().contains("nope.html"),
                e.getMessage());
    }

    @Test
    void missingEntryFile() throws IOException {
        Path project = project(Map.of("other.html", "<html></html>"));
        RenderException e = assertThrows(RenderException.class,
                () -> compile(project, new CompileOptions("main.html", Map.of(), false)));
        assertEquals(ErrorCode.ENTRY_FILE_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("main.html"));
    }

    @Test
    void unavailableScriptNamesUrlElementAndFile() throws IOException {
        String url = "https://cdn.jsdelivr.net/npm/gsap@3.12.3/dist/gsap.min.js";
        Path project = project(Map.of("index.html", page("<script id=\"lib\" src=\"" + url + "\"></script>", "")));

        RenderException e = assertThrows(RenderException.class, () -> compile(project, CompileOptions.defaults()));

        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().startsWith(url + " (referenced by <script id=\"lib\" src> in index.html) is not in "
                + "the asset cache"), e.getMessage());
        assertTrue(e.getMessage().contains("run scripts/fetch-assets.sh or allow network"), e.getMessage());
    }

    @Test
    void unavailableMediaIsAWarningOnlyWhenAllowed() throws IOException {
        String url = "https://example.invalid/clip.mp4";
        Path project = project(Map.of("index.html", page("", "<video id=\"clip\" src=\"" + url + "\"></video>"
                + "<audio src=\"missing.wav\"></audio>")));

        RenderException e = assertThrows(RenderException.class, () -> compile(project, CompileOptions.defaults()));
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains(url) && e.getMessage().contains("<video id=\"clip\" src>"), e.getMessage());

        CompiledProject compiled = compile(project, new CompileOptions(null, Map.of(), true));
        assertEquals(2, compiled.warnings().size(), compiled.warnings().toString());
        assertTrue(compiled.warnings().get(0).contains(url));
        assertTrue(compiled.warnings().get(1).contains("missing.wav"));
        Document doc = Jsoup.parse(compiled.root().resolve("index.html").toFile());
        assertEquals(url, doc.selectFirst("video").attr("src"));
        assertEquals("v0", doc.selectFirst("video").attr("data-hfr-video-id"));
        assertEquals("a0", doc.selectFirst("audio").attr("data-hfr-audio-id"));
    }

    @Test
    void mediaLeftMissingOnPurposeIsMarkedForThePageRuntime() throws IOException {
        Path project = project(Map.of("index.html", page("", "<img id=\"gone\" src=\"https://example.invalid/a.png\">"
                + "<img id=\"absent\" src=\"absent.png\"><img id=\"here\" src=\"here.png\">"), "here.png", "x"));
        CompiledProject compiled = compile(project, new CompileOptions(null, Map.of(), true));
        Document doc = Jsoup.parse(compiled.root().resolve("index.html").toFile());
        assertTrue(doc.selectFirst("#gone").hasAttr("data-hfr-missing-media"));
        assertTrue(doc.selectFirst("#absent").hasAttr("data-hfr-missing-media"));
        assertFalse(doc.selectFirst("#here").hasAttr("data-hfr-missing-media"));
    }

    @Test
    void missingLocalScriptFailsEvenWithAllowMissingMedia() throws IOException {
        Path project = project(Map.of("index.html", page("<script src=\"lib/app.js\"></script>", "")));
        RenderException e = assertThrows(RenderException.class,
                () -> compile(project, new CompileOptions(null, Map.of(), true)));
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("lib/app.js"), e.getMessage());
    }

    @Test
    void unknownGoogleFontFamilyIsFontFetchFailed() throws IOException {
        Path project = project(Map.of("index.html", page("<link rel=\"stylesheet\" "
                + "href=\"https://fonts.googleapis.com/css2?family=No+Such+Family:wght@400&display=swap\">", "")));
        RenderException e = assertThrows(RenderException.class, () -> compile(project, CompileOptions.defaults()));
        assertEquals(ErrorCode.FONT_FETCH_FAILED, e.code());
        assertTrue(e.getMessage().contains("'No Such Family' weight 400"), e.getMessage());
    }

    @Test
    void cssImportsAndUrlsInProjectCssStyleAndAttributesBecomeLocal() throws IOException {
        String font = "https://fonts.googleapis.com/css2?family=Inter:wght@400;700&display=swap";
        Path project = project(Map.of(
                "index.html", page("<link rel=\"preconnect\" href=\"https://fonts.gstatic.com\">"
                        + "<link rel=\"stylesheet\" href=\"css/site.css\"><style>@import url('" + font
                        + "');</style>", "<div style=\"background: url(bg.png)\"></div>"),
                "bg.png", "png",
                "css/site.css", "@import \"" + font + "\";\nbody { font-family: Inter; }"));

        // system fonts: only the URLs the page names (the deterministic mapping would add every Inter face)
        CompiledProject compiled = compile(project, new CompileOptions("index.html", Map.of(), false, "system", true));

        String siteCss = Files.readString(compiled.root().resolve("css/site.css"));
        assertTrue(siteCss.startsWith("@import \"../__hfr/assets/"), siteCss);
        String style = Jsoup.parse(compiled.root().resolve("index.html").toFile()).selectFirst("style:not([data-hfr-text-rendering])").data();
        assertTrue(style.startsWith("@import url('__hfr/assets/"), style);
        assertEquals(List.of(font, "https://cdn.jsdelivr.net/npm/@fontsource/inter@5.3.0/files/inter-latin-400-normal.woff2",
                "https://cdn.jsdelivr.net/npm/@fontsource/inter@5.3.0/files/inter-latin-700-normal.woff2").size() + 1,
                compiled.resolvedUrls().size(), compiled.resolvedUrls().toString());
        assertTrue(compiled.resolvedUrls().contains(font));
        assertTrue(Files.readString(compiled.root().resolve("index.html")).indexOf("fonts.gstatic.com") < 0,
                "preconnect links are dropped");
    }

    @Test
    void entryInSubFolderGetsBaseHrefAndIsCopied() throws IOException {
        Path project = project(Map.of(
                "site/main.html", page("<link rel=\"stylesheet\" href=\"local.css\">", ""),
                "site/local.css", "body{}",
                "node_modules/x/index.js", "ignored"));

        CompiledProject compiled = compile(project, new CompileOptions("site/main.html", Map.of(), false));

        Document doc = Jsoup.parse(compiled.root().resolve("index.html").toFile());
        assertEquals("site/", doc.selectFirst("base").attr("href"));
        assertTrue(doc.selectFirst("script[src]").attr("src").startsWith("../__hfr/assets/"));
        assertTrue(Files.isRegularFile(compiled.root().resolve("site/local.css")));
        assertTrue(Files.notExists(compiled.root().resolve("node_modules")));
    }
}
