package dev.hfr.engine.assemble;

import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.ffmpeg.FrameNames;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poster and the contact sheet show the video's own pixels: the poster is its middle frame as a decoder
 * sees it, and each tile of the sheet is the frame it should be (the closest of all sampled frames).
 */
class StillsTest {
    private static final int W = 320;
    private static final int H = 180;
    private static final int FRAMES = 36;
    private static final int FPS = 30;

    @TempDir
    Path tmp;

    @Test
    void argumentListsAreTheDocumentedOnes() {
        Path ff = Path.of("/usr/bin/ffmpeg");
        // a video file is read by seeking a quarter frame before each picture's time: the cost does not grow with
        // its length (a select filter decodes the whole video)
        assertEquals(List.of("/usr/bin/ffmpeg", "-v", "error", "-y", "-ss", "0.991667", "-i", "in.mp4",
                "-frames:v", "1", "-update", "1", "p.png"),
                Stills.posterArgs(ff, Path.of("in.mp4"), 30, 60, Path.of("p.png")));
        List<String> sheet = Stills.contactSheetArgs(ff, Path.of("in.mp4"), 30, 60, Path.of("s.png"));
        assertEquals(12, java.util.Collections.frequency(sheet, "-ss"));
        assertEquals("0.158333", sheet.get(sheet.indexOf("-ss") + 5), "tile 1 is frame 5");
        assertTrue(sheet.get(sheet.indexOf("-filter_complex") + 1).endsWith("concat=n=12:v=1:a=0,tile=4x3:padding=4:margin=4[sheet]"));
        Path dir = tmp.resolve("frames");
        assertDoesNotThrow(() -> java.nio.file.Files.createDirectories(dir));
        assertEquals(List.of("/usr/bin/ffmpeg", "-v", "error", "-y", "-framerate", "30", "-start_number", "0", "-i",
                        dir.resolve(dev.hfr.ffmpeg.FrameNames.PATTERN).toString(), "-vf",
                        "select='not(mod(n\\,5))',scale=320:-2,tile=4x3:padding=4:margin=4",
                        "-frames:v", "1", "-fps_mode", "vfr", "-update", "1", "s.png"),
                Stills.contactSheetArgs(ff, dir, 30, 60, Path.of("s.png")));
        assertEquals(List.of(1300, 556), List.of(Stills.contactSheetSize(1920, 1080)[0], Stills.contactSheetSize(1920, 1080)[1]));
    }

    @Tag("integration")
    @Test
    void posterIsTheMiddleFrameAndEachTileIsItsFrame() throws Exception {
        Path video = tmp.resolve("v.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + W + "x" + H + ":rate=" + FPS, "-frames:v", Integer.toString(FRAMES),
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "12", video.toString());
        assertStillsShow(video);
    }

    @Tag("integration")
    @Test
    void aPngSequenceGetsTheSameStills() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("frames"));
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + W + "x" + H + ":rate=" + FPS, "-frames:v", Integer.toString(FRAMES),
                "-start_number", "0", dir.resolve(FrameNames.PATTERN).toString());
        assertStillsShow(dir);
    }

    private void assertStillsShow(Path video) throws Exception {
        Path ff = FfmpegTools.locate(System.getenv()).ffmpeg();
        List<BufferedImage> frames = decode(video);
        assertEquals(FRAMES, frames.size());

        BufferedImage poster = ImageIO.read(Stills.run(Stills.posterArgs(ff, video, FPS, FRAMES, tmp.resolve("poster.png")), "poster").toFile());
        assertEquals(W, poster.getWidth());
        assertEquals(H, poster.getHeight());
        assertTrue(meanAbsDiff(poster, frames.get(FRAMES / 2), 0, 0, 1) < 1.0, "the poster is frame " + FRAMES / 2);
        assertTrue(meanAbsDiff(poster, frames.get(0), 0, 0, 1) > 5.0, "and not frame 0");

        BufferedImage sheet = ImageIO.read(Stills.run(Stills.contactSheetArgs(ff, video, FPS, FRAMES, tmp.resolve("sheet.png")),
                "contact sheet").toFile());
        int[] size = Stills.contactSheetSize(W, H);
        assertEquals(size[0], sheet.getWidth());
        assertEquals(size[1], sheet.getHeight());
        int step = FRAMES / 12;
        for (int t = 0; t < 12; t++) {
            int x = Stills.MARGIN + (t % 4) * (Stills.THUMB_WIDTH + Stills.PADDING);
            int y = Stills.MARGIN + (t / 4) * (H + Stills.PADDING);
            BufferedImage tile = sheet.getSubimage(x, y, Stills.THUMB_WIDTH, H);
            int best = -1;
            double bestDiff = Double.MAX_VALUE;
            for (int f = 0; f < FRAMES; f++) {
                double d = meanAbsDiff(tile, frames.get(f), 0, 0, 1);
                if (d < bestDiff) {
                    bestDiff = d;
                    best = f;
                }
            }
            assertEquals(t * step, best, "tile " + t + " shows frame " + best + " (mean diff " + bestDiff + ")");
            assertTrue(bestDiff < 2.0, "tile " + t + " differs from its frame by " + bestDiff);
        }
    }

    private List<BufferedImage> decode(Path video) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("decoded-" + System.nanoTime()));
        List<String> in = Stills.input(video, FPS);
        List<String> args = new ArrayList<>(in);
        args.add(dir.resolve("%04d.png").toString());
        ffmpeg(args.toArray(String[]::new));
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 1; Files.exists(dir.resolve("%04d.png".formatted(i))); i++) {
            out.add(ImageIO.read(dir.resolve("%04d.png".formatted(i)).toFile()));
        }
        return out;
    }

    /** Mean absolute difference per channel of {@code a} against {@code b} sampled at (x0 + x*scale, y0 + y*scale). */
    static double meanAbsDiff(BufferedImage a, BufferedImage b, int x0, int y0, int scale) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x0 + x * scale, y0 + y * scale);
                for (int s = 0; s < 24; s += 8) {
                    sum += Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(FfmpegTools.locate(System.getenv()).ffmpeg().toString(), "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
    }
}
