package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The counter page paints rgb(4n, 255-4n, 37n) for frame n: a stale frame shows the wrong colour. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrameCaptureTest {
    @TempDir
    static Path tmp;
    private Path site;
    private CompositionPage page;

    @BeforeAll
    void open() {
        site = TestSites.copy("counter", tmp);
        page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W, TestSites.H, 30);
    }

    @AfterAll
    void close() {
        if (page != null) {
            page.close();
        }
    }

    private static void assertFrameColour(BufferedImage img, int n) {
        int[] c = TestSites.patch(img, 8, 8, 8);
        int r = (4 * n) % 256;
        int g = ((255 - 4 * n) % 256 + 256) % 256;
        int b = (37 * n) % 256;
        assertTrue(TestSites.near(c, r, g, b, 10), "frame " + n + ": expected rgb(" + r + "," + g + "," + b
                + ") but the picture shows " + TestSites.rgb(c));
    }

    @Test
    void probeReadsTheRootComposition() {
        PageProbe p = page.probe();
        assertEquals("main", p.compositionId());
        assertEquals(320, p.width());
        assertEquals(180, p.height());
        assertEquals(2.0, p.durationSeconds(), 1e-9);
        assertEquals(java.util.List.of("main"), p.timelines());
        assertTrue(p.blockedRequests().isEmpty(), p.blockedRequests().toString());
        assertTrue(GpuCheck.isSoftware(p.glRenderer()), p.glRenderer());
        assertTrue(!p.browserVersion().isBlank());
    }

    @Test
    void framesAreAccurateInAnyOrder() {
        for (int n : new int[] {0, 5, 29, 5, 0}) {
            BufferedImage img = TestSites.decode(page.captureFrame(n, "jpeg", 90));
            assertEquals(TestSites.W, img.getWidth());
            assertEquals(TestSites.H, img.getHeight());
            assertFrameColour(img, n);
        }
        assertEquals("beginframe", page.captureMode());
    }

    @Test
    void frameInAFreshPageEqualsTheSameFrameAfterItsPredecessors() {
        for (int n = 0; n <= 30; n++) {
            page.captureFrame(n, "png", 0);
        }
        int[] sequential = TestSites.pixels(TestSites.decode(page.captureFrame(31, "png", 0)));
        int[] fresh;
        try (CompositionPage other = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            fresh = TestSites.pixels(TestSites.decode(other.captureFrame(31, "png", 0)));
        }
        assertArrayEquals(sequential, fresh, "frame 31 differs between a fresh page and one that rendered 0..30");
        int[] frame30 = TestSites.pixels(TestSites.decode(page.captureFrame(30, "png", 0)));
        assertTrue(!java.util.Arrays.equals(sequential, frame30), "frames 30 and 31 must differ");
    }
}
