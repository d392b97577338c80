package dev.hfr.compile;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HyperFrames' deterministic font mapping in the compiled page, against the real cache, never the network. */
@Tag("integration")
class FontMappingTest {
    static Path cache;
    static AssetResolver resolver;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        cache = TestAssetCache.sharedCache();
        resolver = AssetResolver.create(cache, false, NpmRegistry.offline());
    }

    private Path project(String head, String body) throws Exception {
        Path dir = tmp.resolve("project");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("index.html"), "<!doctype html><html><head>" + head + "</head><body>"
                + "<div data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1\">"
                + body + "</div></body></html>", StandardCharsets.UTF_8);
        return dir;
    }

    private CompiledProject compile(Path project, CompileOptions options) {
        return ProjectCompiler.compile(project, options, resolver, tmp.resolve("out"));
    }

    private static Document page(CompiledProject c) throws Exception {
        return Jsoup.parse(c.root().resolve("index.html").toFile(), "UTF-8");
    }

    /** family name of each generated @font-face rule to the local files its src points at. */
    private static List<String[]> faces(Document doc) {
        String css = doc.select("style[" + FontMapper.STYLE_ATTR + "]").stream().map(e -> e.data()).reduce("", String::concat);
        Matcher m = Pattern.compile("font-family: \"([^\"]+)\";[^}]*src: url\\(\"([^\"]+)\"\\)").matcher(css);
        List<String[]> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    @Test
    void systemFamiliesAreDrawnWithTheCanonicalWebFontsUnderTheirOwnNames() throws Exception {
        Path p = project("<style>h1 { font-family: Arial, sans-serif; } code { font-family: 'Courier New', monospace; }"
                        + " p { font-family: Georgia, serif; }</style>",
                "<h1>A</h1><code>b</code><p>c</p><span style=\"font-family: Helvetica\">d</span>");
        CompiledProject c = compile(p, CompileOptions.defaults());
        List<String[]> faces = faces(page(c));
        for (String[] expected : new String[][] {{"Arial", "inter-latin-400-normal.woff2"},
                {"Courier New", "jetbrains-mono-latin-700-normal.woff2"}, {"Georgia", "eb-garamond-latin-400-italic.woff2"},
                {"Helvetica", "inter-latin-900-italic.woff2"}}) {
            String[] face = faces.stream().filter(f -> f[0].equals(expected[0]) && f[1].endsWith("/" + expected[1]))
                    .findFirst().orElseThrow(() -> new AssertionError("no @font-face for " + expected[0] + " with "
                            + expected[1] + " among " + faces.size() + " faces"));
            assertTrue(face[1].startsWith(ProjectCompiler.ASSET_DIR + "/"), face[1]);
            Path file = c.root().resolve(face[1]);
            String id = expected[1].substring(0, expected[1].indexOf("-latin"));
            assertEquals(-1, Files.mismatch(file, cachedFile(id, expected[1])), "copied bytes of " + expected[1]);
        }
        assertTrue(faces.stream().allMatch(f -> !f[1].contains("://")), "every font file is local");
    }

    private static Path cachedFile(String id, String file) throws Exception {
        try (var s = Files.list(cache.resolve("npm/@fontsource"))) {
            Path pkg = s.filter(d -> d.getFileName().toString().startsWith(id + "@")).findFirst().orElseThrow();
            return pkg.resolve("files").resolve(file);
        }
    }

    @Test
    void aGenericPrimaryFamilyGetsInterInFrontAsHyperFramesDoes() throws Exception {
        Path p = project("<style>:root { --mono: monospace; } body { font-family: system-ui, sans-serif; }"
                        + " pre { font-family: var(--none, monospace); }</style>",
                "<b style=\"font-family: sans-serif !important\">x</b>");
        Document doc = page(compile(p, CompileOptions.defaults()));
        String css = doc.selectFirst("style:not([" + FontMapper.TEXT_RENDERING_ATTR + "])").data();
        assertTrue(css.contains("font-family: Inter, system-ui, sans-serif;"), css);
        assertTrue(css.contains("--mono: Inter, monospace;"), css);
        assertTrue(css.contains("font-family: var(--none, Inter, monospace);"), css);
        assertEquals("font-family: Inter, sans-serif !important", doc.selectFirst("b").attr("style"));
        assertTrue(faces(doc).stream().anyMatch(f -> f[0].equals("Inter")), "Inter faces are generated");
    }

    /**
     * The {@code font} shorthand names families too ({@code font: 700 48px Arial}): each gets its faces as in
     * font-family (before, Arial there was left to fontconfig and no face was generated); a generic primary stays
     * as written, as in HyperFrames, which reads font-family only; system-font keywords and a shorthand whose
     * size is a var() are left alone.
     */
    @Test
    void theFontShorthandsFamiliesAreMappedToo() throws Exception {
        Path p = project("<style>h1 { font: 700 48px Arial; } p { font: italic 20px/1.4 sans-serif; }"
                        + " small { font: caption; } i { font: 700 var(--size) sans-serif; }</style>",
                "<h1>A</h1><p>b</p><small>c</small><i>d</i><code style=\"font: 12px / 2 'Courier New', monospace\">e</code>");
        Document doc = page(compile(p, CompileOptions.defaults()));
        String css = doc.selectFirst("style:not([" + FontMapper.TEXT_RENDERING_ATTR + "])").data();
        assertTrue(css.contains("font: 700 48px Arial;"), css);
        assertTrue(css.contains("font: italic 20px/1.4 sans-serif;"), css);
        assertTrue(css.contains("font: caption;"), css);
        assertTrue(css.contains("font: 700 var(--size) sans-serif;"), css);
        List<String[]> faces = faces(doc);
        for (String family : List.of("Arial", "Courier New")) {
            assertTrue(faces.stream().anyMatch(f -> f[0].equals(family)), "a face for " + family + " among "
                    + faces.stream().map(f -> f[0]).distinct().toList());
        }
    }

    @Test
    void anUnknownFamilyFailsNamingTheFamilyAndTheElement() throws Exception {
        Path p = project("<style>h1 { font-family: 'Zzyzx Grotesk', sans-serif; }</style>",
                "<h1>A</h1><p id=\"note\" style=\"font-family: Qwfp Serif\">b</p>");
        RenderException e = assertThrows(RenderException.class, () -> compile(p, CompileOptions.defaults()));
        assertEquals(ErrorCode.FONT_FETCH_FAILED, e.code());
        assertFalse(e.code().retryable());
        assertTrue(e.getMessage().contains("'Zzyzx Grotesk' (font-family in <style> in index.html)"), e.getMessage());
        assertTrue(e.getMessage().contains("'Qwfp Serif'") && e.getMessage().contains("<p id=\"note\" style> in index.html"), e.getMessage());
        assertTrue(e.getMessage().contains("fontPolicy \"system\""), e.getMessage());
    }

    @Test
    void theSystemPolicyLeavesFontsToTheMachine() throws Exception {
        String style = "<style>h1 { font-family: 'Zzyzx Grotesk', Arial, sans-serif; }</style>";
        Path p = project(style, "<h1>A</h1>");
        Document doc = page(compile(p, new CompileOptions("index.html", Map.of(), false, "system", true)));
        assertTrue(doc.select("style[" + FontMapper.STYLE_ATTR + "]").isEmpty());
        assertTrue(doc.html().contains("font-family: 'Zzyzx Grotesk', Arial, sans-serif;"), doc.html());
    }

    @Test
    void failOpenMapsWhatItCanAndWarnsAboutTheRest() throws Exception {
        Path p = project("<style>h1 { font-family: 'Zzyzx Grotesk', Arial; }</style>", "<h1>A</h1>");
        CompiledProject c = compile(p, new CompileOptions("index.html", Map.of(), false, "strict", false));
        assertTrue(faces(page(c)).stream().anyMatch(f -> f[0].equals("Arial")));
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("'Zzyzx Grotesk'")), c.warnings().toString());
    }

    @Test
    void familiesThePageDeclaresItselfAreLeftAlone() throws Exception {
        Path p = project("<style>@font-face { font-family: 'Brand'; src: url(brand.woff2); }"
                + " h1 { font-family: Brand, Arial; }</style>", "<h1>A</h1>");
        Files.write(p.resolve("brand.woff2"), new byte[] {1, 2, 3});
        List<String[]> faces = faces(page(compile(p, CompileOptions.defaults())));
        assertTrue(faces.stream().noneMatch(f -> f[0].equals("Brand")));
        assertTrue(faces.stream().anyMatch(f -> f[0].equals("Arial")));
    }

    @Test
    void aGoogleFontsFamilyNotInTheMappingResolvesToItsFontsourcePackage() throws Exception {
        Path p = project("<style>h1 { font-family: 'Press Start 2P'; }</style>", "<h1>A</h1>");
        List<String[]> faces = faces(page(compile(p, CompileOptions.defaults())));
        assertTrue(faces.stream().anyMatch(f -> f[0].equals("Press Start 2P")
                && f[1].endsWith("/press-start-2p-latin-400-normal.woff2")), faces.size() + " faces");
    }

    /**
     * A family a Google Fonts link provides keeps the link's faces (HyperFrames adds faces only for families its
     * inline styles name, and for a non-canonical one asks Google for the link's faces), except a canonical family
     * the page itself names, which gets HyperFrames' bundled faces there and ours here (many-cuts).
     */
    @Test
    void aFamilyAGoogleFontsLinkProvidesKeepsTheLinksFaces() throws Exception {
        Path p = project("<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/css2?family=Montserrat:wght@900"
                        + "&amp;family=Syncopate:wght@700&amp;family=Inter:wght@400&amp;display=swap\">"
                        + "<link rel=\"stylesheet\" href=\"s.css\"><style>b { font-family: Syncopate; }"
                        + " i { font-family: Inter; }</style>",
                "<p>A</p><b>B</b><i>C</i>");
        Files.writeString(p.resolve("s.css"), "p { font-family: Montserrat; font-weight: 300; } b, i { font-family: Verdana; }");
        List<String> families = faces(page(compile(p, CompileOptions.defaults()))).stream().map(f -> f[0]).distinct().toList();
        assertFalse(families.contains("Montserrat"), "named in a CSS file only: " + families);
        assertFalse(families.contains("Syncopate"), "not canonical: " + families);
        assertTrue(families.contains("Inter"), "canonical and named by the page: " + families);
        assertTrue(families.contains("Verdana"), "families no link provides are still mapped: " + families);
    }

    @Test
    void theGeneratedRulesComeAfterEveryStylesheetOfThePage() throws Exception {
        Path p = project("<style>h1 { font-family: Arial; }</style><link rel=\"stylesheet\" href=\"s.css\">", "<h1>A</h1>");
        Files.writeString(p.resolve("s.css"), "p { font-family: Verdana; }");
        Document doc = page(compile(p, CompileOptions.defaults()));
        assertEquals(FontMapper.STYLE_ATTR, doc.select("style, link[rel=stylesheet]").last().attributes().asList()
                .getFirst().getKey());
        assertTrue(faces(doc).stream().anyMatch(f -> f[0].equals("Verdana")), "families of project CSS files too");
    }

    @Test
    void everyPageDrawsTextWithGeometricPrecisionAsHyperFramesDoes() throws Exception {
        Path p = project("<style>p { font-family: Arial; }</style>", "<p>A</p>");
        for (String policy : List.of("strict", "system")) {
            Document doc = page(compile(p, new CompileOptions("index.html", Map.of(), false, policy, true)));
            var rule = doc.head().selectFirst("style[" + FontMapper.TEXT_RENDERING_ATTR + "]");
            assertTrue(rule != null && rule.data().equals("html,body,*{text-rendering:geometricPrecision}"), doc.head().html());
            assertEquals(1, rule.elementSiblingIndex(), "right after the variables script, before the author's styles");
        }
    }
}
