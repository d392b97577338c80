package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clip windows, relative data-start, nested composition offsets, CSS and WAAPI seeking. */
@Tag("integration")
class TimingTest {
    @TempDir
    Path tmp;

    private static final int BLACK = 0;
    private static final int[][] COLOURS = {
        {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}, {255, 255, 255}};

    /** Which of the five 40x40 boxes (a, b, c, d at x = 0..160, grandchild at x = 200) are painted. */
    private static String visible(BufferedImage img) {
        int[] xs = {0, 40, 80, 120, 200};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            int[] c = TestSites.patch(img, xs[i] + 16, 16, 8);
            int[] want = COLOURS[i];
            if (TestSites.near(c, want[0], want[1], want[2], 40)) {
                sb.append("abcdg".charAt(i));
            } else if (!TestSites.near(c, BLACK, BLACK, BLACK, 40)) {
                sb.append('?');
            }
        }
        return sb.toString();
    }

    /** Colour of the nested composition's #inner box at x = 160: r (red), b (blue), - (hidden). */
    private static char inner(BufferedImage img) {
        int[] c = TestSites.patch(img, 176, 16, 8);
        if (TestSites.near(c, 255, 0, 0, 40)) {
            return 'r';
        }
        if (TestSites.near(c, 0, 0, 255, 40)) {
            return 'b';
        }
        return TestSites.near(c, 0, 0, 0, 40) ? '-' : '?';
    }

    @Test
    void clipWindowsRelativeStartsAndNestedOffsets() {
        Path site = TestSites.copy("clips", tmp);
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            // frame -> expected visible boxes and nested #inner colour; 60 before 42 checks a backwards seek
            Object[][] expected = {
                {0, "a", '-'}, {29, "a", '-'}, {30, "b", 'r'}, {60, "cg", 'b'}, {42, "b", 'r'},
                {45, "bcd", 'b'}, {66, "c", 'b'}, {75, "", '-'}};
            List<String> wrong = new ArrayList<>();
            for (Object[] e : expected) {
                int frame = (Integer) e[0];
                BufferedImage img = TestSites.decode(page.captureFrame(frame, "png", 0));
                String got = visible(img) + "/" + inner(img);
                String want = e[1] + "/" + e[2];
                if (!got.equals(want)) {
                    wrong.add("frame " + frame + ": expected " + want + " got " + got);
                }
            }
            assertTrue(wrong.isEmpty(), String.join("; ", wrong));
            PageProbe probe = page.probe();
            assertEquals(List.of("main", "child"), probe.timelines());
            assertEquals(3.0, probe.durationSeconds(), 1e-9);
            assertEquals(List.of("https://example.com/remote.png"), probe.blockedRequests());
        }
    }

    @Test
    void cssKeyframesAndWaapiFollowTheSeekTime() {
        Path site = TestSites.copy("animations", tmp);
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            // frame: {css grey, delayed css grey, waapi r, waapi b, nested-composition css grey}
            int[][] expected = {
                {30, 100, 0, 100, 100, 0}, {45, 150, 100, 200, 0, 50}, {39, 130, 60, 160, 40, 30},
                {15, 50, 0, 0, 200, 0}, {0, 0, 0, 0, 200, 0}, {52, 173, 147, 200, 0, 73}};
            for (int[] e : expected) {
                BufferedImage img = TestSites.decode(page.captureFrame(e[0], "png", 0));
                int[] css = TestSites.patch(img, 16, 16, 8);
                int[] delayed = TestSites.patch(img, 56, 16, 8);
                int[] waapi = TestSites.patch(img, 96, 16, 8);
                assertTrue(TestSites.near(css, e[1], e[1], e[1], 3), "frame " + e[0] + " @keyframes: " + TestSites.rgb(css));
                assertTrue(TestSites.near(delayed, e[2], e[2], e[2], 3), "frame " + e[0] + " delayed @keyframes: "
                        + TestSites.rgb(delayed));
                assertTrue(TestSites.near(waapi, e[3], 0, e[4], 3), "frame " + e[0] + " WAAPI: " + TestSites.rgb(waapi));
                int[] nested = TestSites.patch(img, 136, 16, 8);
                assertTrue(TestSites.near(nested, e[5], e[5], e[5], 3), "frame " + e[0] + " nested @keyframes: "
                        + TestSites.rgb(nested));
            }
            assertEquals(2.0, page.probe().durationSeconds(), 1e-9);
        }
    }

    @Test
    void pngKeepsTransparencyAndJpegHasAnOpaqueBackground() {
        Path site = TestSites.copy("alpha", tmp);
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            BufferedImage png = TestSites.decode(page.captureFrame(0, "png", 0));
            assertTrue(png.getColorModel().hasAlpha(), "PNG frame has no alpha channel");
            assertEquals(0, png.getRGB(200, 100) >>> 24, "background must be transparent");
            assertEquals(0xffff0000, png.getRGB(10, 10), "box must be opaque red");
            BufferedImage jpeg = TestSites.decode(page.captureFrame(0, "jpeg", 90));
            assertTrue(TestSites.near(TestSites.patch(jpeg, 200, 100, 8), 255, 255, 255, 4),
                    "JPEG background should be the default white");
            BufferedImage pngAgain = TestSites.decode(page.captureFrame(0, "png", 0));
            assertEquals(0, pngAgain.getRGB(200, 100) >>> 24, "switching back to PNG must restore transparency");
        }
    }
}
