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
    void documentSelectorsBecomeTheHostAndCompositionSelectorsStay() {
        assertEquals(S + "{margin:0}" + S + " {--c:1}[data-composition-id=\"x\"] .t{a:b}*{box-sizing:border-box}",
                CssScope.scope("body{margin:0}:root {--c:1}[data-composition-id=\"x\"] .t{a:b}*{box-sizing:border-box}",
                        "intro"));
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
