package dev.hfr.compile.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The family list of a font shorthand starts after the size and its optional line height. */
class FontShorthandTest {
    private static String families(String value) {
        int at = FontShorthand.familyStart(value);
        return at < 0 ? null : value.substring(at);
    }

    @Test
    void familiesFollowTheSizeAndLineHeight() {
        assertEquals("Arial", families("700 48px Arial"));
        assertEquals("\"Helvetica Neue\", Arial, sans-serif", families("italic small-caps 700 48px/1.2 \"Helvetica Neue\", Arial, sans-serif"));
        assertEquals("'Courier New', monospace", families("12px / 2 'Courier New', monospace"));
        assertEquals("serif", families("12px /2 serif"));
        assertEquals("serif", families("12px/ 2 serif"));
        assertEquals("Inter", families("bold x-large Inter"));
        assertEquals("Inter", families("300 calc(2rem + 1px)/1 Inter"));
        assertEquals("var(--family)", families("1.5em var(--family)"));
    }

    @Test
    void noFamiliesToRead() {
        assertEquals(null, families("caption"));
        assertEquals(null, families("inherit"));
        assertEquals(null, families("700 var(--size) Arial"));
        assertEquals(null, families("700 48px"));
        assertEquals(null, families("700 Arial"));
        assertEquals(null, families("'Arial' 12px"));
    }
}
