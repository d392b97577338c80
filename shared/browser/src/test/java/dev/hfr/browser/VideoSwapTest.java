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

    /** Picture {@code k} of an extracted video: one colour. */
    private static void writeFrame(Path dir, int k, int width, int height, Color colour) throws IOException {
        Files.createDirectories(dir);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        ImageIO.write(img, "png", dir.resolve(String.format("%06d.png", k)).toFile());
    }

    private static void writeFrames(Path site) throws IOException {
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
        for (int k = 0; k < colours.length; k++) {
            writeFrame(site.resolve("__hfr/video/v0"), k, 32, 32, colours[k]);
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
            // timeline moves the <video> whose frames the <img> laid over it shows
            Object[][] expected = {{16, "green"}, {15, "red"}, {17, "blue"}, {18, "black"}, {14, "black"}, {16, "green"}};
            for (Object[] e : expected) {
                int frame = (Integer) e[0];
                int[] c = TestSites.patch(TestSites.decode(page.captureFrame(frame, "png", 0)), 180, 45, 6);
                assertEquals(e[1], colourName(c), "frame " + frame);
            }
            MediaElement video = page.probe().media().get(0);
            assertEquals("v0", video.hfrId());
            assertEquals("assets/clip.mp4", video.src());
            assertTrue(video.hasAudio());
        }
    }

    /**
     * The frames show where the <video> is: styled through a {@code .stage video} rule (size from an aspect
     * ratio, centred by its flex parent), moved by a tween of the element a {@code querySelector('.stage video')}
     * found at load, and, for a video no rule sizes, in the box of its natural size. The frames are drawn inside the
     * video's border and its shadow is not drawn, as in HyperFrames, whose frame image is laid over the hidden video.
     */
    @Test
    void theFramesTakeTheStyledAndAnimatedBoxOfTheVideo() throws IOException {
        Path site = TestSites.copy("video-styled", tmp);
        writeFrame(site.resolve("__hfr/video/v0"), 0, 64, 32, Color.GREEN);
        writeFrame(site.resolve("__hfr/video/v1"), 0, 40, 20, Color.BLUE);
        Files.writeString(site.resolve("__hfr/videos.json"),
                "{\"v0\":{\"start\":0,\"duration\":1,\"frameCount\":1,\"pattern\":\"__hfr/video/v0/%06d.png\"},"
                        + "\"v1\":{\"start\":0,\"duration\":1,\"frameCount\":1,\"pattern\":\"__hfr/video/v1/%06d.png\"}}");
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W,
                TestSites.H, 30)) {
            // frame 15: x = 0, the 172x102 border box centred at (74..246, 39..141), the frames inside its border
            BufferedImage mid = TestSites.decode(page.captureFrame(15, "png", 0));
            assertColour(mid, 82, 47, "green");
            assertColour(mid, 236, 131, "green");
            assertColour(mid, 76, 90, "red"); // the border
            assertColour(mid, 242, 90, "red");
            assertColour(mid, 160, 41, "red");
            assertColour(mid, 160, 137, "red");
            assertColour(mid, 68, 90, "black"); // outside it, where the shadow would be
            assertColour(mid, 250, 90, "black");
            assertColour(mid, 160, 33, "black");
            assertColour(mid, 160, 145, "black");
            // frame 0: x = -60, the border box at 14..186
            BufferedImage first = TestSites.decode(page.captureFrame(0, "png", 0));
            assertColour(first, 22, 90, "green");
            assertColour(first, 190, 90, "black");
            // the unsized video: 40x20, its frames' size (not the 300x150 of a video without data)
            assertColour(mid, 36, 16, "blue");
            assertColour(mid, 42, 8, "black");
            assertColour(mid, 8, 22, "black");
        }
    }

    private static void assertColour(BufferedImage frame, int x, int y, String expected) {
        assertEquals(expected, colourName(TestSites.patch(frame, x, y, 2)), "at (" + x + ", " + y + ")");
    }

    /** red, green, blue or black (within 30 of each channel), else the colour itself. */
    private static String colourName(int[] c) {
        return TestSites.near(c, 255, 0, 0, 30) ? "red" : TestSites.near(c, 0, 255, 0, 30) ? "green"
                : TestSites.near(c, 0, 0, 255, 30) ? "blue" : TestSites.near(c, 0, 0, 0, 30) ? "black"
                : TestSites.rgb(c);
    }
}
