package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Math.random, crypto.getRandomValues, Date.now and performance.now are functions of the frame time. */
@Tag("integration")
class RandomAndClockTest {
    @TempDir
    Path tmp;

    /** The runtime's PRNG (Mulberry32 seeded from floor(ms)), re-implemented to predict the picture. */
    static int[] expectedBytes(double ms, int count) {
        int state = (int) Math.floor(ms) * -1640531527 + 0x9E3779B9;
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            state += 0x6D2B79F5;
            int t = state;
            t = (t ^ (t >>> 15)) * (t | 1);
            t ^= t + (t ^ (t >>> 7)) * (t | 61);
            long u = (t ^ (t >>> 14)) & 0xffffffffL;
            out[i] = (int) Math.floor(u / 4294967296.0 * 256);
        }
        return out;
    }

    @Test
    void randomnessAndClocksAreSeededFromTheFrameTime() {
        Path site = TestSites.copy("random", tmp);
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            for (int frame : new int[] {10, 45, 10, 0, 77}) {
                double ms = frame * 1000.0 / 30;
                BufferedImage img = TestSites.decode(page.captureFrame(frame, "png", 0));
                int[] rnd = TestSites.patch(img, 16, 16, 8);
                int[] bytes = expectedBytes(ms, 6);
                assertArrayEquals(new int[] {bytes[0], bytes[1], bytes[2]}, rnd, "frame " + frame + " Math.random");
                int[] crypto = TestSites.patch(img, 96, 16, 8);
                assertArrayEquals(new int[] {bytes[3], bytes[4], bytes[5]}, crypto, "frame " + frame
                        + " crypto.getRandomValues");
                int[] clock = TestSites.patch(img, 56, 16, 8);
                int want = (int) (Math.floor(ms) / 10) % 256;
                int wantPerf = (int) Math.floor(ms / 10) % 256;
                assertArrayEquals(new int[] {want, wantPerf, 0}, clock, "frame " + frame + " Date.now/performance.now");
            }
            int[] a = TestSites.patch(TestSites.decode(page.captureFrame(11, "png", 0)), 16, 16, 8);
            int[] b = TestSites.patch(TestSites.decode(page.captureFrame(12, "png", 0)), 16, 16, 8);
            assertTrue(!java.util.Arrays.equals(a, b), "consecutive frames should draw different random values");
        }
    }
}
