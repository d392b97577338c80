package dev.hfr.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.hfr.local.RenderHarness.FFMPEG;

/** Small compositions written by the tests, one per contract point. */
final class Compositions {
    private Compositions() {
    }

    static final String GSAP = "<script src=\"https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.2/gsap.min.js\"></script>";

    static Path write(Path dir, String html) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("index.html"), html);
        return dir;
    }

    static String page(String rootAttrs, String body, String script) {
        return "<!doctype html><html><head><meta charset=\"utf-8\">" + GSAP
                + "<style>html,body{margin:0;width:320px;height:180px;overflow:hidden;background:#000}"
                + "#root{position:relative;width:320px;height:180px} .abs{position:absolute}</style></head><body>"
                + "<div id=\"root\" " + rootAttrs + ">" + body + "</div><script>" + script + "</script></body></html>";
    }

    /** Runs ffmpeg to make test media (testsrc2 video, sine audio, or garbage). */
    static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(FFMPEG.ffmpeg().toString(), "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + out);
        }
    }

    /** Every contract point at once: variables, clip windows with relative start, video, audio, seeded randomness. */
    static Path contract(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("assets"));
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=3", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                dir.resolve("assets/clip.mp4").toString());
        ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=2:r=48000", dir.resolve("assets/tone.wav").toString());
        String body = """
                <div id="varbox" class="abs" style="left:10px;top:10px;width:40px;height:40px;background:var(--boxColor)"></div>
                <div id="a" class="abs clip" data-start="0" data-duration="0.5" style="left:60px;top:10px;width:40px;height:40px;background:#00ff00"></div>
                <div id="b" class="abs clip" data-start="a + 0.5" data-duration="0.5" style="left:110px;top:10px;width:40px;height:40px;background:#ffff00"></div>
                <canvas id="dots" class="abs" width="160" height="90" style="left:0;top:90px"></canvas>
                <video id="v" src="assets/clip.mp4" data-start="0.5" data-duration="1.5" data-media-start="1"
                       class="abs" style="left:160px;top:90px;width:160px;height:90px"></video>
                <audio id="t" src="assets/tone.wav" data-start="0.5" data-volume="0.5"></audio>
                """;
        String script = """
                window.__timelines = window.__timelines || {};
                const tl = gsap.timeline({ paused: true });
                const ctx = document.getElementById("dots").getContext("2d");
                function draw() {
                  ctx.fillStyle = "#000"; ctx.fillRect(0, 0, 160, 90);
                  ctx.fillStyle = "#fff";
                  for (let i = 0; i < 40; i++) ctx.fillRect(Math.random() * 156, Math.random() * 86, 4, 4);
                }
                tl.to({}, { duration: 2, onUpdate: draw }, 0);
                window.__timelines.contract = tl;
                """;
        String schema = "data-composition-variables='[{\"id\":\"boxColor\",\"type\":\"color\",\"label\":\"Box\",\"default\":\"#ff0000\"}]' ";
        return write(dir, page(schema + "data-composition-id=\"contract\" data-width=\"320\" data-height=\"180\" "
                + "data-start=\"0\" data-duration=\"2\"", body, script));
    }

    /**
     * 2 s at 30 fps, 320x180: three boxes moving across the whole frame range, one per animation system (a GSAP
     * timeline, a CSS animation, a WAAPI animation), so every frame differs from the one before it and a repeated or
     * skipped frame at a chunk seam shows.
     */
    static Path seams(Path dir) throws IOException {
        String body = """
                <div id="g" class="abs" style="left:0;top:10px;width:30px;height:30px;background:#ff4040"></div>
                <div id="c" class="abs" style="left:0;top:70px;width:30px;height:30px;background:#40ff40;animation:slide 2s linear both"></div>
                <div id="w" class="abs" style="left:0;top:130px;width:30px;height:30px;background:#4080ff"></div>
                <style>@keyframes slide { from { transform: translateX(0) } to { transform: translateX(290px) } }</style>
                """;
        String script = """
                window.__timelines = window.__timelines || {};
                const tl = gsap.timeline({ paused: true });
                tl.to("#g", { x: 290, duration: 2, ease: "none" }, 0);
                document.getElementById("w").animate([{ transform: "translateX(0)" }, { transform: "translateX(290px)" }],
                    { duration: 2000, easing: "linear", fill: "both" });
                window.__timelines.seams = tl;
                """;
        return write(dir, page("data-composition-id=\"seams\" data-width=\"320\" data-height=\"180\" "
                + "data-start=\"0\" data-duration=\"2\"", body, script));
    }

    /** Frame {@code n} of a video, decoded by ffmpeg into {@code dir}. */
    static java.awt.image.BufferedImage frame(Path video, int n, Path dir) throws Exception {
        Path png = dir.resolve("frame-" + video.getFileName() + "-" + n + ".png");
        ffmpeg("-i", video.toString(), "-vf", "select=eq(n\\," + n + ")", "-frames:v", "1", png.toString());
        return javax.imageio.ImageIO.read(png.toFile());
    }

    /** The red, green and blue of one pixel, 0..255 each. */
    static int[] rgb(java.awt.image.BufferedImage img, int x, int y) {
        int p = img.getRGB(x, y);
        return new int[]{(p >> 16) & 255, (p >> 8) & 255, p & 255};
    }
}
