package dev.hfr.ffmpeg;

import dev.hfr.model.OutputFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flat colour captured as JPEG comes out of the H.264 chunk, decoded as tagged (BT.709, limited range), as the
 * colour of the capture within 2 levels (8-bit limited range, 4:2:0, CRF 16), as HyperFrames' output does (its
 * SDR filter: JPEG -> RGB exactly, then BT.709). Our former YCbCr-to-YCbCr conversion turned #111111 into
 * (12, 15, 12).
 */
@Tag("integration")
class EncodeColourTest {
    @TempDir
    Path dir;

    @Test
    void flatColoursSurviveTheEncode() throws Exception {
        FfmpegTools tools = TestMedia.tools();
        List<Color> colours = List.of(new Color(0x11, 0x11, 0x11), new Color(0xe9, 0x45, 0x60),
                new Color(0x18, 0x18, 0x2d), new Color(0xf5, 0xf0, 0xe6));
        int w = 64 * colours.size();
        int h = 36;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < colours.size(); i++) {
            g.setColor(colours.get(i));
            g.fillRect(64 * i, 0, 64, h);
        }
        g.dispose();
        byte[] jpeg = TestMedia.jpeg(img, 0.95f);
        BufferedImage captured = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
        Path out = dir.resolve("c.mp4");
        try (ChunkEncoder enc = ChunkEncoder.open(tools, out, TestMedia.x264("medium", 16), OutputFormat.MP4, 30,
                w, h, 3)) {
            for (int i = 0; i < 3; i++) {
                enc.writeFrame(jpeg);
            }
            enc.finish();
        }
        Process p = new ProcessBuilder(tools.ffmpeg().toString(), "-v", "error", "-i", out.toString(), "-frames:v", "1",
                "-vf", "scale=in_color_matrix=bt709:in_range=tv:flags=accurate_rnd,format=rgb24", "-f", "rawvideo", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] rgb = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && rgb.length == w * h * 3, "decode failed");
        for (int i = 0; i < colours.size(); i++) {
            int x = 64 * i + 32;
            int y = h / 2;
            int src = captured.getRGB(x, y);
            int[] want = {(src >> 16) & 0xff, (src >> 8) & 0xff, src & 0xff};
            int at = (y * w + x) * 3;
            int[] got = {rgb[at] & 0xff, rgb[at + 1] & 0xff, rgb[at + 2] & 0xff};
            for (int c = 0; c < 3; c++) {
                assertTrue(Math.abs(got[c] - want[c]) <= 2, "colour " + i + ": capture " + Arrays.toString(want)
                        + ", encoded " + Arrays.toString(got));
            }
        }
    }
}
