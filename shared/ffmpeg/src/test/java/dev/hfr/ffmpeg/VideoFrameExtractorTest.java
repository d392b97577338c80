package dev.hfr.ffmpeg;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frame k of an extraction is the source frame at mediaStart + k * rate / fps; bad sources are typed. */
@Tag("integration")
class VideoFrameExtractorTest {
    private static final int STEP = 4;
    private static FfmpegTools tools;

    @TempDir
    static Path shared;
    /** 60 frames at 30 fps; frame i is flat grey of level 4 * i. */
    private static Path source;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        tools = TestMedia.tools();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            frames.add(TestMedia.jpeg(TestMedia.grey(STEP * i, 64, 36), 1.0f));
        }
        source = shared.resolve("grey.mp4");
        try (ChunkEncoder enc = ChunkEncoder.open(tools, source, TestMedia.x264("ultrafast", 4), OutputFormat.MP4, 30,
                64, 36, 60)) {
            frames.forEach(enc::writeFrame);
            enc.finish();
        }
    }

    @Test
    void extractsFromMediaStartAtNormalSpeed() throws Exception {
        Path out = dir.resolve("a");
        int n = VideoFrameExtractor.extract(tools, source, 0.5, 0.5, 1.0, 30, out, "jpg");
        assertEquals(15, n);
        for (int k = 0; k < n; k++) {
            assertEquals(15 + k, sourceIndexOf(out.resolve(String.format("%06d.jpg", k))), "frame " + k);
        }
    }

    @Test
    void playbackRateTwoSkipsEveryOtherSourceFrame() throws Exception {
        Path out = dir.resolve("b");
        int n = VideoFrameExtractor.extract(tools, source, 0.2, 0.5, 2.0, 30, out, "png");
        assertEquals(15, n);
        for (int k = 0; k < n; k++) {
            assertEquals(6 + 2 * k, sourceIndexOf(out.resolve(String.format("%06d.png", k))), "frame " + k);
        }
    }

    /**
     * At another rate than the source's, frame k is the last source frame at or before k / fps, as a playing
     * video shows it and HyperFrames samples (30 fps source at 24 fps: frame 19, 0.792 s, is source frame 23,
     * not the nearer 24; nested-sequential-video-local-start showed its timecode a frame ahead).
     */
    @Test
    void atALowerRateEachFrameIsTheLastSourceFrameAtOrBeforeItsTime() throws Exception {
        Path out = dir.resolve("slow");
        int n = VideoFrameExtractor.extract(tools, source, 0, 1.5, 1.0, 24, out, "jpg");
        assertEquals(36, n);
        for (int k = 0; k < n; k++) {
            assertEquals((int) Math.floor(k * 30.0 / 24 + 1e-9), sourceIndexOf(out.resolve(String.format("%06d.jpg", k))),
                    "frame " + k);
        }
    }

    /** 1.01 s is 30.3 frames: the nearest whole number of pictures, as HyperFrames extracts them (not 31). */
    @Test
    void aClipExtractsTheNearestWholeNumberOfPictures() throws Exception {
        Path out = dir.resolve("fraction");
        assertEquals(30, VideoFrameExtractor.extract(tools, source, 0, 1.01, 1.0, 30, out, "jpg"));
        assertEquals(29, sourceIndexOf(out.resolve("000029.jpg")));
        assertEquals(31, VideoFrameExtractor.extract(tools, source, 0, 1.02, 1.0, 30, dir.resolve("more"), "jpg"));
    }

    @Test
    void sourceShorterThanTheClipYieldsFewerFrames() {
        int n = VideoFrameExtractor.extract(tools, source, 1.5, 2.0, 1.0, 30, dir.resolve("c"), "jpg");
        assertEquals(15, n);
    }

    /**
     * A clip whose media start is after the source's last picture (at 1.967 s; at, past or just before the end)
     * shows the source's last picture for its whole
     * window, as a {@code <video>} seeked past its end does and HyperFrames renders it
     * (nested-sequential-video-local-start's second scene); before, no frame was extracted and it drew nothing.
     */
    @Test
    void mediaStartPastTheSourceEndHoldsTheLastFrame() throws Exception {
        for (double start : new double[] {1.99, 2.0, 3.5}) {
            Path out = dir.resolve("past-" + start);
            int n = VideoFrameExtractor.extract(tools, source, start, 1.0, 1.0, 30, out, "jpg");
            assertEquals(1, n, "media start " + start);
            assertEquals(59, sourceIndexOf(out.resolve("000000.jpg")), "media start " + start);
        }
    }

    @Test
    void corruptTruncatedOrMissingSourcesAreUnrenderable() throws Exception {
        Path random = dir.resolve("random.mp4");
        byte[] noise = new byte[20_000];
        new Random(7).nextBytes(noise);
        Files.write(random, noise);
        Path truncated = dir.resolve("truncated.mp4");
        byte[] good = Files.readAllBytes(source);
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        for (Path bad : List.of(random, truncated, dir.resolve("missing.mp4"))) {
            RenderException e = assertThrows(RenderException.class,
                    () -> VideoFrameExtractor.extract(tools, bad, 0, 1, 1, 30, dir.resolve("out"), "jpg"));
            assertEquals(ErrorCode.VIDEO_SOURCE_UNRENDERABLE, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(bad.getFileName().toString()), e.getMessage());
        }
    }

    /**
     * A flat colour encoded with one matrix and tagged (or not) comes out of the extraction as that colour
     * when the frame is read as a browser reads it (ImageIO, like Chromium, reads a JPEG as BT.601 full
     * range): tagged BT.709 and BT.601, and untagged at HD (Chromium assumes BT.709) and SD (BT.601).
     * Within 8 levels (two 8-bit YCbCr round trips and JPEG); before, (250, 40, 60) came out as (230, 15, 57).
     */
    @Test
    void framesKeepTheSourceColoursForEachTagging() throws Exception {
        int[] colour = {250, 40, 60};
        String hex = String.format("0x%02x%02x%02x", colour[0], colour[1], colour[2]);
        record Case(String name, int w, int h, String matrix, boolean tagged) { }
        List<Case> cases = List.of(new Case("tagged-bt709", 1280, 720, "bt709", true),
                new Case("tagged-bt601", 640, 360, "smpte170m", true),
                new Case("untagged-hd", 1280, 720, "bt709", false),
                new Case("untagged-sd", 640, 360, "smpte170m", false));
        for (Case c : cases) {
            Path video = dir.resolve(c.name() + ".mp4");
            List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi",
                    "-i", "color=c=" + hex + ":s=" + c.w() + "x" + c.h() + ":d=0.5:r=30",
                    "-vf", "scale=out_color_matrix=" + (c.matrix().equals("bt709") ? "bt709" : "bt601")
                            + ":out_range=tv,format=yuv420p", "-c:v", "libx264", "-qp", "0"));
            if (c.tagged()) {
                cmd.addAll(List.of("-colorspace", c.matrix(), "-color_primaries", c.matrix().equals("bt709")
                        ? "bt709" : "smpte170m", "-color_trc", "bt709", "-color_range", "tv"));
            }
            cmd.add(video.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, log);
            for (String ext : List.of("jpg", "png")) {
                Path out = dir.resolve(c.name() + "-" + ext);
                assertEquals(3, VideoFrameExtractor.extract(tools, video, 0, 0.1, 1.0, 30, out, ext));
                BufferedImage img = ImageIO.read(out.resolve("000001." + ext).toFile());
                int rgb = img.getRGB(c.w() / 2, c.h() / 2);
                int[] got = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int i = 0; i < 3; i++) {
                    assertTrue(Math.abs(got[i] - colour[i]) <= 8, c.name() + " " + ext + ": expected "
                            + java.util.Arrays.toString(colour) + ", got " + java.util.Arrays.toString(got));
                }
            }
        }
    }

    /** The source frame a grey picture came from: nearest multiple of STEP. */
    private static int sourceIndexOf(Path image) throws Exception {
        BufferedImage img = ImageIO.read(image.toFile());
        int rgb = img.getRGB(img.getWidth() / 2, img.getHeight() / 2);
        int g = (rgb >> 8) & 0xff;
        return Math.round(g / (float) STEP);
    }
}
