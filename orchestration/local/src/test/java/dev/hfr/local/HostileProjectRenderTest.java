package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 items 3 and 5, end to end through the local renderer: a project whose media are playlists naming a
 * file outside the project fails the plan (so before any frame is rendered) with MEDIA_NOT_ALLOWED naming the
 * project file; a folder symlink inside the project renders its images.
 */
@Tag("integration")
class HostileProjectRenderTest {
    private static final String ROOT = "data-composition-id=\"h\" data-width=\"320\" data-height=\"180\" data-start=\"0\""
            + " data-duration=\"1\"";
    private static final String TIMELINE = "window.__timelines = {h: gsap.timeline({paused: true})};";

    @TempDir
    Path tmp;

    /** A magenta clip with a tone, outside the project: its colour must never reach an output. */
    private Path secret() throws Exception {
        Path secret = tmp.resolve("outside/secret.ts");
        Files.createDirectories(secret.getParent());
        Compositions.ffmpeg("-f", "lavfi", "-i", "color=c=0xff00ff:s=320x180:r=30:d=2", "-f", "lavfi", "-i",
                "sine=f=440:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-f", "mpegts",
                secret.toString());
        return secret;
    }

    private static String hls(Path target) {
        return "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n" + target.toUri() + "\n#EXT-X-ENDLIST\n";
    }

    private RenderException renderFails(Path project) throws Exception {
        Path out = tmp.resolve("out.mp4");
        Path work = tmp.resolve("work");
        LocalRenderer renderer = new LocalRenderer(RenderHarness.options(work, RenderHarness.fastFailBrowser()));
        RenderException e = assertThrows(RenderException.class, () -> renderer.render(new LocalRenderRequest(
                project.toString(), out.toString(), RenderConfig.of(30, "mp4"), 1, null, false), RenderProgress.NONE));
        assertFalse(Files.exists(out), "no output may appear after a refused project");
        assertFalse(e.getMessage().contains(work.toString()), "the message names the project file, not a temp path: "
                + e.getMessage());
        return e;
    }

    @Test
    void videoThatIsAnHlsPlaylistOfAnOutsideFileIsRefusedNamingTheProjectFile() throws Exception {
        Path dir = tmp.resolve("p");
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("assets/clip.mp4"), hls(secret()));
        Compositions.write(dir, Compositions.page(ROOT, "<video id=\"v\" src=\"assets/clip.mp4\" data-start=\"0\""
                + " data-duration=\"1\" class=\"abs\" style=\"left:0;top:0;width:320px;height:180px\"></video>", TIMELINE));
        RenderException e = renderFails(dir);
        assertEquals(ErrorCode.MEDIA_NOT_ALLOWED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("'assets/clip.mp4'") && e.getMessage().contains("video"), e.getMessage());
        assertTrue(e.getMessage().contains("HLS"), e.getMessage());
    }

    @Test
    void audioThatIsAnFfconcatListOfAnOutsideFileIsRefusedNamingTheProjectFile() throws Exception {
        Path dir = tmp.resolve("p");
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("assets/music.m4a"), "ffconcat version 1.0\nfile '" + secret() + "'\n");
        Compositions.write(dir, Compositions.page(ROOT, "<audio id=\"a\" src=\"assets/music.m4a\" data-start=\"0\"></audio>",
                TIMELINE));
        RenderException e = renderFails(dir);
        assertEquals(ErrorCode.MEDIA_NOT_ALLOWED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("'assets/music.m4a'") && e.getMessage().contains("audio"), e.getMessage());
    }

    @Test
    void folderSymlinkInsideTheProjectRendersItsImages() throws Exception {
        Path dir = tmp.resolve("p");
        Files.createDirectories(dir.resolve("assets"));
        BufferedImage green = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = green.createGraphics();
        g.setColor(new Color(0, 200, 0));
        g.fillRect(0, 0, 320, 180);
        g.dispose();
        ImageIO.write(green, "png", dir.resolve("assets/green.png").toFile());
        Files.createSymbolicLink(dir.resolve("lib"), Path.of("assets"));
        Compositions.write(dir, Compositions.page(ROOT, "<img src=\"lib/green.png\" class=\"abs\""
                + " style=\"left:0;top:0;width:320px;height:180px\">", TIMELINE));
        Path out = tmp.resolve("frames");
        new LocalRenderer(RenderHarness.options(tmp.resolve("work"))).render(new LocalRenderRequest(dir.toString(),
                out.toString(), RenderConfig.of(30, "png-sequence"), 1, null, false), RenderProgress.NONE);
        Path first;
        try (var s = Files.list(out)) {
            first = s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        int p = ImageIO.read(first.toFile()).getRGB(160, 90);
        int r = (p >> 16) & 255;
        int gr = (p >> 8) & 255;
        int b = p & 255;
        assertTrue(r < 40 && gr > 160 && b < 40, "the linked folder's image is drawn, got rgb(" + r + "," + gr + "," + b + ")");
    }
}
