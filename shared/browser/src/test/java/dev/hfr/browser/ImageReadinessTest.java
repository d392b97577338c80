package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page is ready once every {@code <img>} has decoded, however many there are; a broken one fails clearly. */
@Tag("integration")
class ImageReadinessTest {
    @TempDir
    Path tmp;

    @Test
    void pageWithThreeImagesBecomesReadyAndShowsEachOfThem() {
        Path site = TestSites.copy("images", tmp);
        long start = System.nanoTime();
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "three.html", TestSites.W,
                TestSites.H, 30)) {
            BufferedImage f = TestSites.decode(page.captureFrame(0, "png", 0));
            int[] red = TestSites.patch(f, 40, 80, 10);
            int[] green = TestSites.patch(f, 150, 80, 10);
            int[] blue = TestSites.patch(f, 260, 80, 10);
            assertTrue(TestSites.near(red, 255, 0, 0, 8), "red image: " + TestSites.rgb(red));
            assertTrue(TestSites.near(green, 0, 255, 0, 8), "green image: " + TestSites.rgb(green));
            assertTrue(TestSites.near(blue, 0, 0, 255, 8), "blue image: " + TestSites.rgb(blue));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 15_000, "ready took " + millis + " ms");
    }

    @Test
    void imageThatFailsToLoadIsAnInputErrorNamingIt() {
        Path site = TestSites.copy("images", tmp);
        RenderException e = assertThrows(RenderException.class, () -> CompositionPage.open(TestSites.options(), site,
                "broken.html", TestSites.W, TestSites.H, 30).close());
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code(), e.getMessage());
        assertFalse(e.code().retryable());
        assertTrue(e.getMessage().contains("<img id=\"logo\" src=\"missing/logo.png\">"), e.getMessage());
    }
}
