package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fallback capture path (Page.captureScreenshot) must be frame-accurate too. */
@Tag("integration")
class ScreenshotModeTest {
    @TempDir
    Path tmp;

    @Test
    void screenshotModeCapturesTheSeekedFrame() {
        assertFrameAccurate(TestSites.options().withForceScreenshot(true));
    }

    /** A zero stall timeout treats every beginFrame as stalled: the page must recover in screenshot mode. */
    @Test
    void stalledBeginFrameFallsBackToScreenshot() {
        assertFrameAccurate(TestSites.options().withBeginFrameStallTimeout(java.time.Duration.ZERO));
    }

    private void assertFrameAccurate(BrowserOptions options) {
        Path site = TestSites.copy("counter", tmp);
        try (CompositionPage page = CompositionPage.open(options, site, "index.html", TestSites.W, TestSites.H, 30)) {
            page.captureFrame(0, "jpeg", 90);
            assertEquals("screenshot", page.captureMode());
            for (int n : new int[] {0, 5, 29, 5}) {
                BufferedImage img = TestSites.decode(page.captureFrame(n, "jpeg", 90));
                int[] c = TestSites.patch(img, 8, 8, 8);
                int r = (4 * n) % 256;
                int g = ((255 - 4 * n) % 256 + 256) % 256;
                int b = (37 * n) % 256;
                assertTrue(TestSites.near(c, r, g, b, 10), "frame " + n + " shows " + TestSites.rgb(c));
                assertEquals(TestSites.W, img.getWidth());
                assertEquals(TestSites.H, img.getHeight());
            }
        }
    }
}
