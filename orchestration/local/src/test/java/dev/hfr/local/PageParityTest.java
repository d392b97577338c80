package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.compile.ProjectValidator;
import dev.hfr.engine.preview.PreviewService;
import dev.hfr.ffmpeg.MediaProbe;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HyperFrames parity of the page runtime and compiler, on compositions written here (each one failed
 * before its fix): any integer frame rate, sub-compositions whose content their own scripts build, and
 * anonymous hosts laid out as HyperFrames lays them out.
 */
@Tag("integration")
class PageParityTest {
    @TempDir
    Path tmp;

    @Test
    void tenAndSevenFpsRenderEveryFrameOnTheirOwnGrid() throws Exception {
        // a white bar moves 32 px per frame at 10 fps (x = 32 * n): frame n must show it at its own time
        Path dir = Compositions.write(tmp.resolve("fps"), Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1\"",
                "<div id=\"bar\" class=\"abs\" style=\"left:0;top:0;width:16px;height:180px;background:#fff\"></div>",
                "window.__timelines.main = gsap.timeline({ paused: true })"
                        + ".to('#bar', { x: 320, duration: 1, ease: 'none' }, 0);"));
        Path ten = tmp.resolve("ten.mp4");
        RenderHarness.render(dir, ten, RenderHarness.config(10, "mp4", 3), tmp.resolve("work"));
        assertEquals(10, MediaProbe.frameCount(FFMPEG, ten));
        for (int n : new int[] {0, 3, 4, 7, 9}) {
            int x = 32 * n + 8;
            BufferedImage f = frame(ten, n);
            assertTrue(bright(f, x, 90), "frame " + n + ": bar expected at x=" + x);
            assertTrue(!bright(f, (x + 160) % 320, 90), "frame " + n + ": only one bar");
        }
        Path seven = tmp.resolve("seven.mp4");
        RenderHarness.render(dir, seven, RenderHarness.config(7, "mp4", 2), tmp.resolve("work"));
        assertEquals(7, MediaProbe.frameCount(FFMPEG, seven));
        assertTrue(bright(frame(seven, 5), (int) Math.round(320.0 * 5 / 7) + 8, 90), "7 fps frame 5");
    }

    @Test
    void subCompositionScriptsBuildTheirContentInTheirOwnScopeAfterTheRootScript() throws Exception {
        // two sub-compositions build their layer with createElement, both declare a top-level const tl and
        // both look up id "box" (each has its own); the root script, last in the file, resets the registry
        Path dir = tmp.resolve("scoped");
        Files.createDirectories(dir.resolve("compositions"));
        Files.writeString(dir.resolve("compositions/captions.html"), layer("captions", "#ffffff", 20, 0.5));
        Files.writeString(dir.resolve("compositions/stats.html"), layer("stats", "#ff0000", 180, 1.0));
        Compositions.write(dir, Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1.5\"",
                host("captions") + host("stats"),
                "window.__timelines = {};"
                        + " window.__timelines.main = gsap.timeline({ paused: true }).to({}, { duration: 1.5 });"));
        Path out = tmp.resolve("scoped.mp4");
        RenderHarness.render(dir, out, RenderHarness.config(10, "mp4", 5), tmp.resolve("work"));
        assertEquals(15, MediaProbe.frameCount(FFMPEG, out));
        BufferedImage early = frame(out, 3);
        assertTrue(dark(early, 80, 145) && dark(early, 240, 145), "nothing before 0.5 s");
        BufferedImage mid = frame(out, 7);
        assertTrue(bright(mid, 80, 145), "captions line at 0.7 s");
        assertTrue(dark(mid, 240, 145), "no stats line before 1.0 s");
        BufferedImage late = frame(out, 12);
        assertTrue(bright(late, 80, 145), "captions line still shown at 1.2 s");
        assertTrue(red(late, 240, 145), "stats line (built in its own #box) at 1.2 s");
    }

    private static String host(String id) {
        return "<div id=\"" + id + "-layer\" data-composition-id=\"" + id + "\" data-composition-src=\"compositions/"
                + id + ".html\" data-start=\"0\" data-duration=\"1.5\"></div>";
    }

    private static String layer(String id, String color, int left, double at) {
        return """
                <template>
                  <div data-composition-id="%1$s" data-width="320" data-height="180">
                    <div id="box"></div>
                    <style>
                      [data-composition-id="%1$s"] .line { position: absolute; left: %3$dpx; top: 130px; width: 120px;
                        height: 30px; background: %2$s; opacity: 0; }
                    </style>
                    <script>
                      const tl = gsap.timeline({ paused: true });
                      const line = document.createElement("div");
                      line.className = "line";
                      document.getElementById("box").appendChild(line);
                      tl.to(line, { opacity: 1, duration: 0.05 }, %4$s);
                      tl.to({}, { duration: 1.5 }, 0);
                      window.__timelines["%1$s"] = tl;
                    </script>
                  </div>
                </template>
                """.formatted(id, color, left, at);
    }

    @Test
    void anonymousHostIsSizedByItsCompositionAndTheRootLaysItOut() throws Exception {
        // no page CSS at all: HyperFrames sizes the root from data-width/height, lays the timed host out as a
        // full layer and gives the host its composition's size, so the scene's 100% box fills the frame
        Path dir = tmp.resolve("anonymous");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("scene.html"), """
                <template>
                  <div data-composition-id="scene" data-width="320" data-height="180">
                    <p class="t">HELLO</p>
                    <style>
                      [data-composition-id="scene"] { width: 100%; height: 100%; background: #000; display: flex;
                        align-items: center; justify-content: center; }
                      [data-composition-id="scene"] .t { margin: 0; width: 60px; height: 20px; background: #fff;
                        color: #fff; font-size: 10px; }
                    </style>
                    <script>window.__timelines["scene"] = gsap.timeline({ paused: true }).to({}, { duration: 1 });</script>
                  </div>
                </template>
                """);
        Compositions.write(dir, "<!doctype html><html><head>" + Compositions.GSAP + "<style>body{margin:0}</style>"
                + "</head><body><div id=\"root\" data-composition-id=\"main\" data-width=\"320\" data-height=\"180\""
                + " data-duration=\"1\"><div data-composition-src=\"scene.html\" data-start=\"0\" data-duration=\"1\">"
                + "</div></div><script>window.__timelines.main = gsap.timeline({ paused: true })"
                + ".to({}, { duration: 1 });</script></body></html>");
        Path out = tmp.resolve("anonymous.mp4");
        RenderHarness.render(dir, out, RenderHarness.config(10, "mp4", null), tmp.resolve("work"));
        BufferedImage f = frame(out, 5);
        for (int[] p : new int[][] {{4, 4}, {316, 4}, {4, 176}, {316, 176}, {160, 40}, {160, 140}, {100, 90}}) {
            assertTrue(dark(f, p[0], p[1]), "black canvas at " + p[0] + "," + p[1]);
        }
        // the 60x20 white text box is centred: x 130..190, y 80..100
        assertTrue(bright(f, 160, 90) && bright(f, 135, 85) && bright(f, 185, 95), "text box centred");
        assertTrue(dark(f, 125, 90) && dark(f, 195, 90) && dark(f, 160, 75) && dark(f, 160, 105), "text box 60x20");
    }

    @Test
    void previewShowsTheVideoFrameRenderShows() throws Exception {
        // a 2 s clip: red for the first second, green for the second; frame 45 (1.5 s) is green in a render
        Path dir = tmp.resolve("video");
        Files.createDirectories(dir);
        redThenGreen(dir.resolve("clip.mp4"));
        Compositions.write(dir, Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"2\"",
                "<video id=\"v\" src=\"clip.mp4\" data-start=\"0\" data-duration=\"2\" class=\"abs\""
                        + " style=\"left:0;top:0;width:320px;height:180px\"></video>",
                "window.__timelines.main = gsap.timeline({ paused: true }).to({}, { duration: 2 });"));
        PreviewService preview = new PreviewService(RenderHarness.options(tmp.resolve("work")));
        BufferedImage f = ImageIO.read(new ByteArrayInputStream(preview.previewFrame(dir.toString(),
                RenderHarness.config(30, "mp4", null), 45)));
        int p = f.getRGB(160, 90);
        assertTrue(((p >> 8) & 255) > 180 && ((p >> 16) & 255) < 80, "green at 1.5 s, got " + Integer.toHexString(p));
        BufferedImage first = ImageIO.read(new ByteArrayInputStream(preview.previewFrame(dir.toString(),
                RenderHarness.config(30, "mp4", null), 10)));
        int q = first.getRGB(160, 90);
        assertTrue(((q >> 16) & 255) > 180 && ((q >> 8) & 255) < 80, "red at 0.33 s, got " + Integer.toHexString(q));
    }

    /**
     * A clip whose length is not a whole number of frames extracts the nearest whole number of pictures, and the
     * frames after them hold the last one, as HyperFrames 0.8.170 does (style-11/16/17-prod: a 13.88 s clip at
     * 30 fps showed its source's picture 416 on the last frame where the reference holds 415). Here: a 1.01 s
     * clip (30.3 frames) of a source red for 1 s, then green; the composition's frame 30 (1.0 s) holds the red
     * picture 29. Before, it extracted 31 pictures and frame 30 was green.
     */
    @Test
    void aClipOfAFractionOfAFrameMoreHoldsItsLastWholePicture() throws Exception {
        Path dir = tmp.resolve("fraction");
        Files.createDirectories(dir);
        redThenGreen(dir.resolve("clip.mp4"));
        Compositions.write(dir, Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1.01\"",
                "<video id=\"v\" src=\"clip.mp4\" data-start=\"0\" data-duration=\"1.01\" class=\"abs\""
                        + " style=\"left:0;top:0;width:320px;height:180px\"></video>",
                "window.__timelines.main = gsap.timeline({ paused: true }).to({}, { duration: 1.01 });"));
        Path out = tmp.resolve("fraction.mp4");
        RenderHarness.render(dir, out, RenderHarness.config(30, "mp4", null), tmp.resolve("work"));
        assertEquals(31, MediaProbe.frameCount(FFMPEG, out), "ceil(1.01 s x 30) frames");
        for (int n : new int[] {29, 30}) {
            int p = frame(out, n).getRGB(160, 90);
            assertTrue(((p >> 16) & 255) > 180 && ((p >> 8) & 255) < 80, "frame " + n + " red, got "
                    + Integer.toHexString(p));
        }
    }

    @Test
    void validateRunsThePlansChecks() throws Exception {
        PreviewService service = new PreviewService(RenderHarness.options(tmp.resolve("work")));
        // the object form of the registry renders in HyperFrames and here: no problem
        Path ok = Compositions.write(tmp.resolve("object-registry"), Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1\"", "",
                "const tl = gsap.timeline({ paused: true }).to({}, { duration: 1 }); window.__timelines = { main: tl };"));
        assertEquals(List.of(), service.validate(ok.toString(), RenderHarness.config(30, "mp4", null)));
        // ten hours: the plan refuses it, so validate does too
        Path tooLong = Compositions.write(tmp.resolve("ten-hours"), Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"36000\"", "",
                "window.__timelines.main = gsap.timeline({ paused: true });"));
        List<ProjectValidator.Problem> problems = service.validate(tooLong.toString(),
                RenderHarness.config(30, "mp4", null));
        assertEquals(List.of("COMPOSITION_TOO_LONG"), problems.stream().map(ProjectValidator.Problem::code).toList(),
                problems.toString());
    }

    @Test
    void subCompositionStylesAreScopedToTheirHost() throws Exception {
        // two scenes style the same class name in different colours; each must keep its own
        Path dir = tmp.resolve("styles");
        Files.createDirectories(dir);
        for (String[] scene : new String[][] {{"left", "#ff0000", "0"}, {"right", "#0000ff", "160"}}) {
            Files.writeString(dir.resolve(scene[0] + ".html"), """
                    <template>
                      <div data-composition-id="%1$s" data-width="160" data-height="180">
                        <div class="scene"></div>
                        <style>.scene { position: absolute; inset: 0; background: %2$s; }</style>
                        <script>window.__timelines["%1$s"] = gsap.timeline({ paused: true });</script>
                      </div>
                    </template>
                    """.formatted(scene[0], scene[1]));
        }
        Compositions.write(dir, Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1\"",
                "<div data-composition-id=\"left\" data-composition-src=\"left.html\" data-start=\"0\" data-duration=\"1\""
                        + " style=\"left:0;top:0\"></div><div data-composition-id=\"right\" data-composition-src=\"right.html\""
                        + " data-start=\"0\" data-duration=\"1\" style=\"left:160px;top:0\"></div>",
                "window.__timelines.main = gsap.timeline({ paused: true }).to({}, { duration: 1 });"));
        BufferedImage f = ImageIO.read(new ByteArrayInputStream(new PreviewService(RenderHarness.options(
                tmp.resolve("work"))).previewFrame(dir.toString(), RenderHarness.config(10, "mp4", null), 5)));
        assertTrue(red(f, 80, 90), "left scene red, got " + Integer.toHexString(f.getRGB(80, 90)));
        int p = f.getRGB(240, 90);
        assertTrue((p & 255) > 200 && ((p >> 16) & 255) < 60, "right scene blue, got " + Integer.toHexString(p));
    }

    @Test
    void aCompositionsOwnRootHasItsDeclaredSizeSoItsFullHeightBoxesAreFull() throws Exception {
        // style-4-prod's captions: a full-frame container (height 100% of the composition's root) puts its bar at
        // the bottom with flex-end; HyperFrames sizes that root from its data-width/height, so the bar is at the
        // bottom of the frame (before the fix the root had no height and the bar sat at the top)
        Path dir = tmp.resolve("innerRoot");
        Files.createDirectories(dir.resolve("compositions"));
        Files.writeString(dir.resolve("compositions/captions.html"), """
                <template>
                  <div data-composition-id="captions" data-width="320" data-height="180">
                    <div class="box"><div class="bar"></div></div>
                    <style>
                      [data-composition-id="captions"] .box { width: 100%; height: 100%; display: flex;
                        justify-content: center; align-items: flex-end; padding-bottom: 20px; box-sizing: border-box; }
                      [data-composition-id="captions"] .bar { width: 100px; height: 20px; background: #fff; }
                    </style>
                    <script>window.__timelines["captions"] = gsap.timeline({ paused: true }).to({}, { duration: 1 });</script>
                  </div>
                </template>
                """);
        Compositions.write(dir, Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1\"",
                "<div id=\"captions-layer\" data-composition-id=\"captions\" data-composition-src=\"compositions/captions.html\""
                        + " data-start=\"0\" data-duration=\"1\" style=\"position:absolute;top:0;left:0;width:100%;height:100%\">"
                        + "</div>",
                "window.__timelines.main = gsap.timeline({ paused: true }).to({}, { duration: 1 });"));
        BufferedImage f = ImageIO.read(new ByteArrayInputStream(new PreviewService(RenderHarness.options(
                tmp.resolve("work"))).previewFrame(dir.toString(), RenderHarness.config(10, "mp4", null), 5)));
        // the 100x20 bar: x 110..210, y 140..160
        assertTrue(bright(f, 160, 150) && bright(f, 115, 145) && bright(f, 205, 155),
                "bar at the bottom, got " + Integer.toHexString(f.getRGB(160, 150)));
        assertTrue(dark(f, 160, 10) && dark(f, 160, 170) && dark(f, 100, 150), "nothing but the bar");
    }

    @Test
    void aRuleOnTheCompositionsOwnSelectorLaysOutItsBoxOnceAndItsRootKeepsItsIdForItsScripts() throws Exception {
        // style-10-prod's captions: [data-composition-id="captions"] { display: flex; padding-top: 200px } lays
        // out the composition once in HyperFrames, which strips the template root's identity (its id moves to
        // data-hf-authored-id); we kept the id on both the host and the root, the padding counted twice and the
        // captions stood 200 px low. The root's own id still names it in its CSS and its script.
        Path dir = tmp.resolve("ownSelector");
        Files.createDirectories(dir.resolve("compositions"));
        Files.writeString(dir.resolve("compositions/captions.html"), """
                <template>
                  <div id="cap-root" data-composition-id="captions" data-width="320" data-height="180" data-start="0"
                       data-duration="1">
                    <div class="bar"></div>
                    <style>
                      [data-composition-id="captions"] { display: flex; justify-content: center; align-items: flex-start;
                        padding-top: 40px; box-sizing: border-box; }
                      #cap-root .bar { width: var(--w, 0); height: 20px; background: #fff; }
                    </style>
                    <script>
                      document.getElementById("cap-root").style.setProperty("--w", "100px");
                      window.__timelines["captions"] = gsap.timeline({ paused: true })
                          .to("#cap-root .bar", { x: 50, duration: 1, ease: "none" });
                    </script>
                  </div>
                </template>
                """);
        Compositions.write(dir, Compositions.page(
                "data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1\"",
                "<div id=\"captions-layer\" data-composition-id=\"captions\" data-composition-src=\"compositions/captions.html\""
                        + " data-start=\"0\" data-duration=\"1\"></div>",
                "window.__timelines.main = gsap.timeline({ paused: true }).to({}, { duration: 1 });"));
        BufferedImage f = ImageIO.read(new ByteArrayInputStream(new PreviewService(RenderHarness.options(
                tmp.resolve("work"))).previewFrame(dir.toString(), RenderHarness.config(10, "mp4", null), 5)));
        // the 100x20 bar, centred (x 110..210) and moved 25 px at t = 0.5: x 135..235, y 40..60
        assertTrue(bright(f, 185, 50) && bright(f, 140, 45) && bright(f, 230, 55),
                "bar 40 px from the top, moved 25 px, got " + Integer.toHexString(f.getRGB(185, 50)));
        assertTrue(dark(f, 185, 90) && dark(f, 120, 50) && dark(f, 185, 30), "nothing but the bar");
    }

    static boolean dark(BufferedImage img, int x, int y) {
        int p = img.getRGB(x, y);
        return ((p >> 16) & 255) < 40 && ((p >> 8) & 255) < 40 && (p & 255) < 40;
    }

    static boolean red(BufferedImage img, int x, int y) {
        int p = img.getRGB(x, y);
        return ((p >> 16) & 255) > 200 && ((p >> 8) & 255) < 60 && (p & 255) < 60;
    }

    /** A 2 s 320x180 clip at 30 fps: red for its first second, green for its second. */
    private static void redThenGreen(Path file) throws Exception {
        Compositions.ffmpeg("-f", "lavfi", "-i", "color=c=red:s=320x180:r=30:d=1", "-f", "lavfi", "-i",
                "color=c=lime:s=320x180:r=30:d=1", "-filter_complex", "[0][1]concat=n=2:v=1", "-pix_fmt", "yuv420p",
                "-c:v", "libx264", file.toString());
    }

    BufferedImage frame(Path video, int n) throws Exception {
        Path png = tmp.resolve(video.getFileName() + "-f" + n + ".png");
        Compositions.ffmpeg("-i", video.toString(), "-vf", "select=eq(n\\," + n + ")", "-frames:v", "1",
                png.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        Files.delete(png);
        return img;
    }

    static boolean bright(BufferedImage img, int x, int y) {
        int p = img.getRGB(x, y);
        return ((p >> 16) & 255) > 200 && ((p >> 8) & 255) > 200 && (p & 255) > 200;
    }
}
