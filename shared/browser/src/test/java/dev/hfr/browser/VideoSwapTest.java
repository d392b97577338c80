package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A video with extracted frames is shown as an <img> stepping through them inside its window. */
@Tag("integration")
class VideoSwapTest {
    @TempDir
    Path tmp;

    private static void writeFrames(Path site) throws IOException {
        Path dir = Files.createDirectories(site.resolve("__hfr/video/v0"));
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
        for (int k = 0; k < colours.length; k++) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(colours[k]);
            g.fillRect(0, 0, 32, 32);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve(String.format("%06d.png", k)).toFile());
        }
        Files.writeString(site.resolve("__hfr/videos.json"),
                "{\"v0\":{\"start\":0.5,\"duration\":0.1,\"frameCount\":3,\"pattern\":\"__hfr/video/v0/%06d.png\"}}");
    }

    @Test
    void probeListsVideoAndAudioWithResolvedTiming() {
        Path site = TestSites.copy("video", tmp);
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            List<MediaElement> media = page.probe().media();
            assertEquals(List.of(
                    new MediaElement("video", "v0", "assets/clip.mp4", 0.5, 0.1, 2.0, 1.0, 0.8, true),
                    new MediaElement("audio", "a0", "assets/music.wav", 0.25, null, 0.0, 1.5, 1.0, true)), media);
        }
    }

    @Test
    void extractedFramesReplaceTheVideoInsideItsWindow() throws IOException {
        Path site = TestSites.copy("video", tmp);
        writeFrames(site);
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            // (180, 45) is inside the 160x90 box only once GSAP has moved it right by 50+ px: it proves the
            // timeline animates the <img> that replaced the <video>
            Object[][] expected = {{16, "green"}, {15, "red"}, {17, "blue"}, {18, "none"}, {14, "none"}, {16, "green"}};
            for (Object[] e : expected) {
                int frame = (Integer) e[0];
                int[] c = TestSites.patch(TestSites.decode(page.captureFrame(frame, "png", 0)), 180, 45, 6);
                String got = TestSites.near(c, 255, 0, 0, 30) ? "red" : TestSites.near(c, 0, 255, 0, 30) ? "green"
                        : TestSites.near(c, 0, 0, 255, 30) ? "blue" : TestSites.near(c, 0, 0, 0, 30) ? "none"
                        : TestSites.rgb(c);
                assertEquals(e[1], got, "frame " + frame);
            }
            MediaElement video = page.probe().media().get(0);
            assertEquals("v0", video.hfrId());
            assertEquals("assets/clip.mp4", video.src());
            assertTrue(video.hasAudio());
        }
    }
}
