package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.ffmpeg.MediaInfo;
import dev.hfr.ffmpeg.MediaProbe;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example of docs/compositions.md, rendered from docs/examples/NAME at 320x180, 1 s, 30 fps in two
 * chunks: the frame count and the pixel the document promises at the times it names.
 */
@Tag("integration")
class DocsExamplesTest {
    static final int[] BLACK = {0, 0, 0};
    static final int[] RED = {255, 0, 0};
    static final int[] GREEN = {0, 255, 0};
    static final int[] YELLOW = {255, 255, 0};
    static final int[] SKY = {0, 170, 255};

    @TempDir
    Path tmp;

    static Path example(String name) {
        Path p = RenderHarness.repoRoot().resolve("docs/examples").resolve(name);
        assertTrue(Files.isRegularFile(p.resolve("index.html")), "docs/examples/" + name + "/index.html is missing");
        return p;
    }

    static RenderConfig config(Map<String, Object> variables) {
        return new RenderConfig(30, null, null, "mp4", null, null, null, null, 15, null, null, null, null,
                variables, null, null, null, null, null);
    }

    /** Renders the example and checks it has the 30 frames of 1 s at 30 fps, at 320x180. */
    Path render(String name, Map<String, Object> variables) throws Exception {
        Path out = tmp.resolve(name + ".mp4");
        LocalRenderSummary s = RenderHarness.render(example(name), out, config(variables), tmp.resolve("work-" + name));
        assertEquals(30, s.plan().totalFrames(), name + ": planned frames");
        MediaInfo info = MediaProbe.probe(FFMPEG, out, ErrorCode.INTERNAL_ERROR);
        assertEquals(30, info.frameCount(), name + ": frames in the output");
        assertEquals(320, info.width(), name + ": width from data-width");
        assertEquals(180, info.height(), name + ": height from data-height");
        return out;
    }

    BufferedImage frame(Path video, int n) throws Exception {
        return Compositions.frame(video, n, tmp);
    }

    static void assertColor(int[] expected, BufferedImage img, int x, int y, String what) {
        int[] actual = Compositions.rgb(img, x, y);
        for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) < 40, what + " at (" + x + "," + y + "): expected ~"
                    + Arrays.toString(expected) + " got " + Arrays.toString(actual));
        }
    }

    @Test
    void timelineMovesTheBoxAcrossTheSecond() throws Exception {
        Path out = render("timeline", null);
        BufferedImage first = frame(out, 0);
        BufferedImage last = frame(out, 29);          // t = 0.967 s: x = 270.7
        assertColor(RED, first, 20, 90, "box at t=0");
        assertColor(BLACK, last, 20, 90, "start position after the move");
        assertColor(RED, last, 290, 90, "box at t=0.967 s");
    }

    @Test
    void clipsShowOnlyInsideTheirWindowAndRelativeStartsChain() throws Exception {
        Path out = render("clips", null);
        BufferedImage early = frame(out, 5);          // t = 0.167 s
        BufferedImage late = frame(out, 20);          // t = 0.667 s
        assertColor(GREEN, early, 60, 90, "#first inside 0..0.5 s");
        assertColor(BLACK, early, 260, 90, "#second before #first ends");
        assertColor(BLACK, late, 60, 90, "#first after its window");
        assertColor(YELLOW, late, 260, 90, "#second from data-start=\"first\"");
    }

    @Test
    void cssAnimationsAreSeekedToTheFrameTime() throws Exception {
        Path out = render("css-animation", null);
        assertColor(new int[]{0, 0, 255}, frame(out, 0), 160, 90, "keyframe 'from' at t=0");
        assertColor(new int[]{128, 128, 255}, frame(out, 15), 160, 90, "half way at t=0.5 s");
        assertColor(new int[]{246, 246, 255}, frame(out, 29), 160, 90, "near 'to' at t=0.967 s");
    }

    @Test
    void aSubCompositionRunsItsTimelineFromItsOwnStart() throws Exception {
        Path out = render("sub-composition", null);
        assertColor(BLACK, frame(out, 5), 20, 90, "nothing of the slide before its host's data-start 0.5 s");
        assertColor(SKY, frame(out, 15), 20, 90, "slide's own t=0 at the host's start");
        BufferedImage f27 = frame(out, 27);           // t = 0.9 s, the slide's t = 0.4 s: x = 160
        assertColor(SKY, f27, 180, 90, "dot moved by the slide's timeline");
        assertColor(BLACK, f27, 20, 90, "dot left its start");
    }

    @Test
    void variablesOverrideTheSchemaDefaults() throws Exception {
        Path defaults = render("variables", null);
        assertColor(RED, frame(defaults, 0), 50, 50, "--accent from the schema default");
        Path overridden = render("variables", Map.of("accent", "#00ff00"));
        assertColor(GREEN, frame(overridden, 0), 50, 50, "--accent from the render's variables");
    }

    @Test
    void videoShowsFromItsStartAtItsMediaOffsetAndAudioIsMixed() throws Exception {
        Path out = render("media", null);
        assertColor(BLACK, frame(out, 5), 160, 90, "no video before data-start 0.5 s");
        // t = 0.567 s is 0.067 s into the clip, plus data-media-start 0.25 s: the file's green part
        // (without the offset it would show the red first quarter second)
        assertColor(GREEN, frame(out, 17), 160, 90, "video at its media offset");
        assertTrue(MediaProbe.probe(FFMPEG, out, ErrorCode.INTERNAL_ERROR).hasAudio(), "the <audio> is mixed in");
    }

    @Test
    void aGoogleFontRendersFromTheCacheWithoutNetwork() throws Exception {
        // "HFR" at 24px: Press Start 2P draws wide square glyphs (measured: ink 69 px wide, ~790 bright pixels
        // in a PNG preview); the fallback font the page gets without the web font draws 45 px and ~170 pixels.
        BufferedImage f = frame(render("fonts", null), 0);
        int bright = 0;
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        for (int x = 0; x < f.getWidth(); x++) {
            for (int y = 0; y < f.getHeight(); y++) {
                if ((f.getRGB(x, y) & 0xff) > 200) {
                    bright++;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
            }
        }
        assertTrue(bright > 400, "text drawn in Press Start 2P: " + bright + " bright pixels");
        assertTrue(maxX - minX + 1 >= 60, "ink width of \"HFR\" in Press Start 2P: " + (maxX - minX + 1) + " px");
    }

    @Test
    void aRemoteAssetIsRefusedAtPlanTimeNamingTheUrl() {
        RenderException e = assertThrows(RenderException.class, () -> render("blocked-network", null));
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code(), e.toString());
        assertTrue(e.getMessage().contains("https://images.example.com/logo.png"), e.getMessage());
    }
}
