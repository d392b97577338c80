package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.ffmpeg.PsnrResult;
import dev.hfr.ffmpeg.Quality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression (style-1-prod): a host {@code data-composition-id="captions-comp"} inlines a template whose
 * root is {@code data-composition-id="captions"}, and only "captions" registers a timeline; the page
 * scripts also write {@code window.__timelines[id]} without creating the registry first.
 */
@Tag("integration")
class NestedCompositionAliasTest {
    @TempDir
    Path tmp;

    @Test
    void hostWithDifferentlyNamedTemplateRootRendersItsTimeline() throws Exception {
        Path dir = tmp.resolve("alias");
        Files.createDirectories(dir.resolve("compositions"));
        Files.writeString(dir.resolve("compositions/captions.html"), """
                <template>
                  <div data-composition-id="captions" data-width="320" data-height="180" data-duration="2">
                    <div id="cap" style="position:absolute;left:0;top:120px;width:40px;height:40px;background:#ffffff"></div>
                    <script>
                      (function () {
                        const tl = gsap.timeline({ paused: true });
                        tl.to("#cap", { x: 240, duration: 1, ease: "none" }, 0);
                        window.__timelines["captions"] = tl;
                      })();
                    </script>
                  </div>
                </template>
                """);
        Compositions.write(dir, Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"2\"",
                "<div id=\"captions-layer\" data-composition-id=\"captions-comp\" data-composition-src=\"compositions/captions.html\""
                        + " data-start=\"0.5\" data-duration=\"1.5\" data-track-index=\"1\" style=\"position:absolute;inset:0\"></div>",
                "window.__timelines[\"main\"] = gsap.timeline({ paused: true }).to({}, { duration: 2 });"));
        Path single = tmp.resolve("single.mp4");
        Path chunked = tmp.resolve("chunked.mp4");
        RenderHarness.render(dir, single, RenderHarness.config(30, "mp4", 60), tmp.resolve("work"));
        RenderHarness.render(dir, chunked, RenderHarness.config(30, "mp4", 15), tmp.resolve("work"));
        PsnrResult p = Quality.psnr(FFMPEG, single, chunked);
        assertTrue(p.meanDb() >= 45 && p.minDb() >= 40, p.toString());
        // t = 1.0 s: the captions timeline is 0.5 s in (host starts at 0.5 s), so the box is at x = 120..160
        BufferedImage f = frame(chunked, 30);
        assertTrue(bright(f, 140, 140), "caption box should be at x=120..160 at 1.0 s");
        assertTrue(!bright(f, 20, 140), "caption box should have left x=0..40 by 1.0 s");
        assertTrue(!bright(frame(chunked, 5), 20, 140), "host window starts at 0.5 s: nothing at 0.17 s");
    }

    private BufferedImage frame(Path video, int n) throws Exception {
        Path png = tmp.resolve("f" + n + ".png");
        Compositions.ffmpeg("-i", video.toString(), "-vf", "select=eq(n\\," + n + ")", "-frames:v", "1", png.toString());
        return ImageIO.read(png.toFile());
    }

    private static boolean bright(BufferedImage img, int x, int y) {
        int p = img.getRGB(x, y);
        return ((p >> 16) & 255) > 200 && ((p >> 8) & 255) > 200 && (p & 255) > 200;
    }
}
