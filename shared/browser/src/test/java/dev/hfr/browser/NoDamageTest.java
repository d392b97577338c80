package dev.hfr.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hold page moves a box during frames 0..9 and then shows the same picture until frame 29: from frame 10 on,
 * BeginFrame reports no damage and the page returns the previous picture without capturing. That picture must be
 * the one a capture would give.
 */
@Tag("integration")
class NoDamageTest {
    @TempDir
    Path tmp;

    @Test
    void aFrameWithoutDamageEqualsTheSameFrameCaptured() {
        Path site = TestSites.copy("hold", tmp);
        int[][] sequential = new int[30][];
        long skipped;
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            for (int n = 0; n < 30; n++) {
                sequential[n] = TestSites.pixels(TestSites.decode(page.captureFrame(n, "png", 0)));
            }
            skipped = page.framesWithoutDamage();
            assertEquals("beginframe", page.captureMode());
        }
        // frames 10..29 repeat frame 10 (the box stopped), so at least most of them had no damage
        assertEquals(true, skipped >= 15, "expected frames 11..29 without damage, got " + skipped);
        assertFalse(Arrays.equals(sequential[5], sequential[20]), "the box moves during the first 0.3 s");
        for (int n : new int[] {12, 29}) {
            int[] fresh;
            try (CompositionPage other = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                    TestSites.H, 30)) {
                fresh = TestSites.pixels(TestSites.decode(other.captureFrame(n, "png", 0)));
                assertEquals(0, other.framesWithoutDamage(), "the first frame of a page is always captured");
            }
            assertArrayEquals(fresh, sequential[n], "frame " + n + " sent again without damage differs from the"
                    + " same frame captured in a fresh page");
        }
    }
}
