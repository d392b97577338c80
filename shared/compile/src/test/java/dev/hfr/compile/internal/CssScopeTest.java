package dev.hfr.compile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CssScopeTest {
    private static final String S = "[data-composition-id=\"intro\"]";

    @Test
    void topLevelSelectorsAreScopedToTheHost() {
        assertEquals(S + " .scene{color:red}" + S + " .a, " + S + " #b > p{x:1}",
                CssScope.scope(".scene{color:red}.a, #b > p{x:1}", "intro"));
    }

    @Test
    void documentSelectorsAndTheCompositionsOwnSelectorBecomeItsBoxOnce() {
        // the box: the flattened template root inside the host when there is one, else the host (HyperFrames'
        // compositionBoxSelector); a padding on [data-composition-id="intro"] must not count on both
        String box = S + ":not(:has([data-hf-inner-root])), " + S + " > [data-hf-inner-root]";
        assertEquals(box + "{margin:0}" + box + " {--c:1}" + box + "{padding-top:200px}" + box + ", " + S + " .t{a:b}"
                        + S + ":hover{c:d}*{box-sizing:border-box}",
                CssScope.scope("body{margin:0}:root {--c:1}[data-composition-id=\"intro\"]{padding-top:200px}"
                        + "[data-composition-id='intro'], [data-composition-id=\"intro\"] .t{a:b}"
                        + "[data-composition-id=\"intro\"]:hover{c:d}*{box-sizing:border-box}", "intro"));
    }

    @Test
    void anotherCompositionsSelectorIsScopedLikeAnyOther() {
        assertEquals(S + " [data-composition-id=\"x\"] .t{a:b}", CssScope.scope("[data-composition-id=\"x\"] .t{a:b}", "intro"));
    }

    @Test
    void theRootsTimingAttributesAreTheCompositionItself() {
        assertEquals(S + " .t{a:b}" + S + " .u{a:b}", CssScope.scope(
                "[data-composition-id=\"intro\"][data-start=\"0\"] .t{a:b}[data-duration='4'][data-composition-id=\"intro\"] .u{a:b}",
                "intro"));
    }

    @Test
    void theTemplateRootsIdNamesItsAuthoredIdAttribute() {
        String root = "[data-hf-authored-id=\"intro-root\"]";
        assertEquals(S + " " + root + " .t{a:b}" + S + " " + root + "{c:d}" + S + " #intro-rooted, " + S
                        + " [title=\"#intro-root\"]{e:f}",
                CssScope.scope("#intro-root .t{a:b}#intro-root{c:d}#intro-rooted, [title=\"#intro-root\"]{e:f}", "intro",
                        "intro-root"));
    }

    @Test
    void atRulesKeepTheirBodiesOrScopeInside() {
        String css = "@import url('a;b.css');@keyframes k{from{opacity:0}to{opacity:1}}"
                + "@font-face{font-family:X}@media (min-width: 10px){.m{a:b}}/* .c{ */.d{content:\"}\"}";
        assertEquals("@import url('a;b.css');@keyframes k{from{opacity:0}to{opacity:1}}"
                + "@font-face{font-family:X}@media (min-width: 10px){" + S + " .m{a:b}}" + S
                + " /* .c{ */.d{content:\"}\"}", CssScope.scope(css, "intro"));
    }

    @Test
    void nestedRulesAndSelectorListsWithCommasInsideParensAreLeftWhole() {
        assertEquals(S + " .a:is(.b, .c){color:red; .x{y:z}}", CssScope.scope(".a:is(.b, .c){color:red; .x{y:z}}", "intro"));
    }
}
