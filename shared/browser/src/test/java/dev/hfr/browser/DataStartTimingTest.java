package dev.hfr.browser;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HyperFrames' clip window applies to every element with data-start (its runtime toggles visibility on
 * {@code [data-start]}), with a literal start inside a nested composition relative to the host; media
 * start there too unless {@code data-hf-media-start-basis="global"}. hfr timed only {@code .clip}
 * elements, so pip-video-late-host's label and video showed for the host's whole window. A hidden clip hides
 * all it contains, even a descendant with {@code visibility: visible} of its own (HyperFrames' clip-hidden
 * rule; static-volume-future-set's card showed before its host started).
 */
@Tag("integration")
class DataStartTimingTest {
    @TempDir
    Path tmp;

    private static final int[][] COLOURS = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}};

    /**
     * Which of the boxes plain (p, x = 0), open (o, x = 40), late (l, x = 80) and forced (f, x = 120, its own
     * visibility: visible inside the nested composition) are painted.
     */
    private static String visible(BufferedImage img) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            int[] c = TestSites.patch(img, 40 * i + 16, 16, 8);
            int[] want = COLOURS[i];
            if (TestSites.near(c, want[0], want[1], want[2], 40)) {
                sb.append("polf".charAt(i));
            } else if (!TestSites.near(c, 0, 0, 0, 40)) {
                sb.append('?');
            }
        }
        return sb.toString();
    }

    @Test
    void everyElementWithDataStartHasAClipWindow() {
        Path site = TestSites.copy("starts", tmp);
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 10)) {
            Object[][] expected = {{0, ""}, {9, ""}, {10, "pf"}, {19, "pf"}, {20, "olf"}, {29, "olf"}, {15, "pf"}, {5, ""}};
            List<String> wrong = new ArrayList<>();
            for (Object[] e : expected) {
                int frame = (Integer) e[0];
                String got = visible(TestSites.decode(page.captureFrame(frame, "png", 0)));
                if (!got.equals(e[1])) {
                    wrong.add("frame " + frame + ": expected '" + e[1] + "' got '" + got + "'");
                }
            }
            assertTrue(wrong.isEmpty(), String.join("; ", wrong));
            List<Double> starts = page.probe().media().stream().map(MediaElement::startSeconds).toList();
            assertEquals(List.of(1.5, 0.5), starts, "#local (host-relative) then #global media start");
        }
    }
}
