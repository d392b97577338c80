package dev.hfr.compile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure parsing: Google Fonts URLs, CDN URLs, CSS references, JSON. */
class ParsingTest {
    @Test
    void googleFontsCss2AxesAndRanges() {
        assertEquals(List.of(new GoogleFonts.Face("Playfair Display", 900, true),
                        new GoogleFonts.Face("Inter", 300, false), new GoogleFonts.Face("Inter", 400, false),
                        new GoogleFonts.Face("Inter", 500, false), new GoogleFonts.Face("Press Start 2P", 400, false)),
                GoogleFonts.parse("https://fonts.googleapis.com/css2?family=Playfair+Display:ital,wght@1,900"
                        + "&family=Inter:wght@300..500&family=Press+Start+2P&display=swap"));
        assertEquals("press-start-2p", new GoogleFonts.Face("Press Start 2P", 400, false).fontsourceId());
    }

    @Test
    void googleFontsCss1Variants() {
        assertEquals(List.of(new GoogleFonts.Face("Roboto", 400, false), new GoogleFonts.Face("Roboto", 700, true),
                        new GoogleFonts.Face("Open Sans", 400, false)),
                GoogleFonts.parse("https://fonts.googleapis.com/css?family=Roboto:400,700italic|Open+Sans"));
    }

    @Test
    void cdnUrlsMapToExactNpmVersions() {
        assertEquals(new CdnMapping.NpmRef("three", "0.128.0", List.of("three.min.js", "dist/three.min.js",
                        "build/three.min.js", "lib/three.min.js", "build/player/three.min.js", "umd/three.min.js")),
                CdnMapping.map("https://cdnjs.cloudflare.com/ajax/libs/three.js/r128/three.min.js").orElseThrow());
        assertEquals("lottie-web", CdnMapping.map(
                "https://cdnjs.cloudflare.com/ajax/libs/bodymovin/5.12.2/lottie.min.js").orElseThrow().packageName());
        assertEquals(new CdnMapping.NpmRef("@fontsource/inter", "5.3.0", List.of("files/a.woff2")),
                CdnMapping.map("https://cdn.jsdelivr.net/npm/@fontsource/inter@5.3.0/files/a.woff2").orElseThrow());
        assertTrue(CdnMapping.map("https://cdn.jsdelivr.net/npm/gsap@^3.1/dist/gsap.min.js").isEmpty(),
                "only major, major.minor and latest ranges map");
        assertTrue(CdnMapping.map("https://unpkg.com/gsap/dist/gsap.min.js").isEmpty(), "missing version never maps");
    }

    @Test
    void cssReferencesAreRewrittenOutsideComments() {
        String css = "@import \"a.css\";\n@import url(b.css);\n/* url(skip.png) */ .x{background:url( 'c.png' )}";
        assertEquals("@import \"A\";\n@import url(\"B\");\n/* url(skip.png) */ .x{background:url('C')}",
                CssRefs.rewrite(css, (url, isImport) -> isImport ? url.substring(0, 1).toUpperCase()
                        : url.equals("c.png") ? "C" : null));
    }

    @Test
    void variableValuesPrintAsJavaScriptPrintsThem() {
        assertEquals("2", Variables.plain(2.0));
        assertEquals("2.5", Variables.plain(2.5));
        assertEquals("7", Variables.plain(7));
        assertEquals("true", Variables.plain(true));
        assertEquals("a</b>", Variables.plain("a</b>"));
        assertEquals("", Variables.plain(null));
        assertEquals("[1,\"\\u003c\"]", Variables.plain(java.util.List.of(1, "<")));
    }

    @Test
    void cdnVersionRangesMapAsRangesAndMatchOnlyTheirReleases() {
        CdnMapping.NpmRef d3 = CdnMapping.map("https://cdn.jsdelivr.net/npm/d3@7/dist/d3.min.js").orElseThrow();
        assertEquals("d3", d3.packageName());
        assertEquals(false, d3.exact());
        assertEquals(true, d3.matches("7.9.0"));
        assertEquals(false, d3.matches("8.0.0"));
        assertEquals(false, d3.matches("7.10.0-rc.1"), "prereleases are not picked for a range");
        assertEquals(false, d3.matches("70.0.0"));
        CdnMapping.NpmRef minor = CdnMapping.map("https://unpkg.com/gsap@3.12/dist/gsap.min.js").orElseThrow();
        assertEquals(true, minor.matches("3.12.7"));
        assertEquals(false, minor.matches("3.13.0"));
        assertEquals(true, CdnMapping.map("https://cdn.jsdelivr.net/npm/gsap@3.12.2/dist/gsap.min.js").orElseThrow().exact());
        assertEquals(java.util.Optional.of("3.14.2"), dev.hfr.compile.NpmRegistry.newest(List.of("3.12.2", "3.14.2", "3.9.10")));
    }
}
