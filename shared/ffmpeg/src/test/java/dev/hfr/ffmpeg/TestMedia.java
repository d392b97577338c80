package dev.hfr.ffmpeg;

import dev.hfr.model.EncoderSettings;
import dev.hfr.model.OutputFormat;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Synthetic frames (Java2D), encoder settings and chunk splitting for the tests. */
final class TestMedia {
    static final int W = 320;
    static final int H = 180;
    static final int FPS = 30;

    private TestMedia() {
    }

    static FfmpegTools tools() {
        return FfmpegTools.locate(System.getenv());
    }

    /** A moving scene: gradient, a circle crossing the frame, a rotating bar, the frame number as text. */
    static BufferedImage scene(int i, int w, int h, boolean alpha) {
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        if (alpha) {
            g.setPaint(new GradientPaint(0, 0, new Color(20, 40, 120, 255), w, h, new Color(200, 60, 30, 0)));
        } else {
            g.setPaint(new GradientPaint(0, 0, new Color(20, 40, 120), w, h, new Color(200, 60 + i, 30)));
        }
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(250, 220, 40));
        int x = (int) (i * (w - h / 3.0) / 60.0);
        g.fillOval(x, h / 3, h / 3, h / 3);
        g.setStroke(new BasicStroke(h / 30f));
        g.setColor(Color.WHITE);
        double angle = i * Math.PI / 30;
        int cx = w * 3 / 4;
        int cy = h / 2;
        int r = h / 3;
        g.drawLine(cx, cy, cx + (int) (r * Math.cos(angle)), cy + (int) (r * Math.sin(angle)));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, h / 6));
        g.drawString("frame " + i, w / 20, h - h / 10);
        g.dispose();
        return img;
    }

    /** A flat frame whose grey level encodes its index (for extraction timing checks). */
    static BufferedImage grey(int level, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(level, level, level));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    static byte[] jpeg(BufferedImage img, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(img, null, null), p);
            }
            writer.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<byte[]> jpegScenes(int n) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(jpeg(scene(i, W, H, false), 0.95f));
        }
        return frames;
    }

    static List<byte[]> pngScenes(int n, boolean alpha) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(png(scene(i, W, H, alpha)));
        }
        return frames;
    }

    static EncoderSettings x264(String preset, int crf) {
        return new EncoderSettings("libx264", "standard", preset, crf, null, "yuv420p", "jpeg", 95, null);
    }

    static EncoderSettings x265() {
        return new EncoderSettings("libx265", "standard", "fast", 18, null, "yuv420p", "jpeg", 95, null);
    }

    static EncoderSettings vp9() {
        return new EncoderSettings("libvpx-vp9", "standard", null, 30, null, "yuva420p", "png", 100, 8);
    }

    static EncoderSettings prores() {
        return new EncoderSettings("prores_ks", "standard", null, null, null, "yuva444p10le", "png", 100, null);
    }

    static EncoderSettings pngSequence() {
        return new EncoderSettings("png", "standard", null, null, null, "rgba", "png", 100, null);
    }

    /** First frame of each of {@code chunks} near-equal chunks of {@code n} frames. */
    static List<Integer> chunkStarts(int n, int chunks) {
        List<Integer> starts = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            starts.add((int) ((long) n * c / chunks));
        }
        return starts;
    }

    /** Encodes {@code frames} as {@code chunks} chunks in {@code dir}; returns the chunk paths in order. */
    static List<Path> encodeChunks(FfmpegTools tools, List<byte[]> frames, EncoderSettings settings,
                                   OutputFormat format, int chunks, Path dir) {
        List<Integer> starts = chunkStarts(frames.size(), chunks);
        List<Path> out = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int start = starts.get(c);
            int end = c + 1 < chunks ? starts.get(c + 1) : frames.size();
            Path p = dir.resolve(String.format("chunk-%04d%s", c, format.extension()));
            try (ChunkEncoder enc = ChunkEncoder.open(tools, p, settings, format, FPS, W, H, end - start, start)) {
                for (int i = start; i < end; i++) {
                    enc.writeFrame(frames.get(i));
                }
                EncodeStats stats = enc.finish();
                if (stats.framesWritten() != end - start) {
                    throw new AssertionError("chunk " + c + " wrote " + stats.framesWritten());
                }
            }
            out.add(p);
        }
        return out;
    }
}
