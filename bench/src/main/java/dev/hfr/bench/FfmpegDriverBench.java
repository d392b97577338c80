package dev.hfr.bench;

import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.NullOutput;
import com.github.kokorin.jaffree.ffmpeg.PipeInput;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The encoder's hot path through both drivers, paired: N raw 1080p RGBA frames fed to one ffmpeg (libx264
 * ultrafast to the null muxer, so the encoder costs little and the driver's share shows) (a) by our own
 * process runner's way, frames written to the child's stdin, and (b) by Jaffree, {@code PipeInput.pumpFrom},
 * which serves the stream to ffmpeg over a loopback TCP socket. Per run: wall time and CPU of this JVM plus its
 * reaped children ({@code /proc/self/stat} utime+stime+cutime+cstime), so ffmpeg's own CPU is counted too.
 *
 * <p>Usage: {@code java -cp ... dev.hfr.bench.FfmpegDriverBench FFMPEG [FRAMES=240] [PAIRS=5]}; prints one line
 * per run and a summary line with the medians.
 */
public final class FfmpegDriverBench {
    private static final int W = 1920;
    private static final int H = 1080;
    private static final int FRAME_BYTES = W * H * 4;
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private FfmpegDriverBench() {
    }

    public static void main(String[] args) throws Exception {
        Path ffmpeg = Path.of(args.length > 0 ? args[0] : "/usr/bin/ffmpeg");
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 240;
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        byte[][] content = frames();
        List<double[]> stdin = new ArrayList<>();
        List<double[]> jaffree = new ArrayList<>();
        runStdin(ffmpeg, content, 10); // warm-up, both paths
        runJaffree(ffmpeg, content, 10);
        for (int p = 0; p < pairs; p++) {
            // alternate which goes first, so a drift in machine load does not favour one side
            if (p % 2 == 0) {
                stdin.add(runStdin(ffmpeg, content, frames));
                jaffree.add(runJaffree(ffmpeg, content, frames));
            } else {
                jaffree.add(runJaffree(ffmpeg, content, frames));
                stdin.add(runStdin(ffmpeg, content, frames));
            }
            System.out.printf(Locale.ROOT, "pair %d: stdin wall %.0f ms cpu %.0f ms | jaffree wall %.0f ms cpu %.0f ms%n", p,
                    stdin.getLast()[0], stdin.getLast()[1], jaffree.getLast()[0], jaffree.getLast()[1]);
        }
        System.out.printf(Locale.ROOT, "median of %d pairs, %d frames %dx%d rgba: stdin wall %.0f ms cpu %.0f ms;"
                        + " jaffree wall %.0f ms cpu %.0f ms; jaffree/stdin wall %.2f cpu %.2f%n", pairs, frames, W, H,
                median(stdin, 0), median(stdin, 1), median(jaffree, 0), median(jaffree, 1),
                median(jaffree, 0) / median(stdin, 0), median(jaffree, 1) / median(stdin, 1));
    }

    /** The same encoder settings as the Jaffree side's output options. */
    private static List<String> encodeArgs() {
        return List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "null");
    }

    private static double[] runStdin(Path ffmpeg, byte[][] content, int frames) throws Exception {
        long cpu0 = cpuMillis();
        long t0 = System.nanoTime();
        List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostats", "-v", "error",
                "-f", "rawvideo", "-pix_fmt", "rgba", "-s", W + "x" + H, "-r", "30", "-i", "pipe:0"));
        cmd.addAll(encodeArgs());
        cmd.add("-");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            for (int i = 0; i < frames; i++) {
                in.write(content[i % content.length]);
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("ffmpeg (stdin) failed");
        }
        return new double[] {(System.nanoTime() - t0) / 1e6, cpuMillis() - cpu0};
    }

    private static double[] runJaffree(Path ffmpeg, byte[][] content, int frames) {
        long cpu0 = cpuMillis();
        long t0 = System.nanoTime();
        NullOutput out = new NullOutput(false);
        out.addArguments("-c:v", "libx264").addArguments("-preset", "ultrafast").addArguments("-pix_fmt", "yuv420p");
        new FFmpeg(ffmpeg).setLogLevel(LogLevel.ERROR).addArgument("-nostats")
                .addInput(PipeInput.pumpFrom(new FrameStream(content, frames)).setFormat("rawvideo")
                        .addArguments("-pix_fmt", "rgba").addArguments("-s", W + "x" + H).addArguments("-r", "30"))
                .addOutput(out)
                .execute();
        return new double[] {(System.nanoTime() - t0) / 1e6, cpuMillis() - cpu0};
    }

    /** Eight distinct frames (a moving gradient), so the encoder does real work; frame i is frames[i % 8]. */
    private static byte[][] frames() {
        byte[][] f = new byte[8][FRAME_BYTES];
        for (int k = 0; k < f.length; k++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int o = (y * W + x) * 4;
                    f[k][o] = (byte) (x + k * 16);
                    f[k][o + 1] = (byte) (y + k * 8);
                    f[k][o + 2] = (byte) ((x ^ y) + k);
                    f[k][o + 3] = (byte) 255;
                }
            }
        }
        return f;
    }

    /** This process's CPU plus its reaped children's, in ms. */
    private static long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14-17 of stat(5): utime stime cutime cstime; f[0] is field 3
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks * 1000 / CLOCK_TICKS;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(List<double[]> runs, int field) {
        double[] v = runs.stream().mapToDouble(r -> r[field]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The frames as one stream, as the capture loop would hand them over. */
    private static final class FrameStream extends InputStream {
        private final byte[][] content;
        private final int frames;
        private int frame;
        private int pos;

        FrameStream(byte[][] content, int frames) {
            this.content = content;
            this.frames = frames;
        }

        @Override
        public int read() {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (frame >= frames) {
                return -1;
            }
            byte[] cur = content[frame % content.length];
            int n = Math.min(len, FRAME_BYTES - pos);
            System.arraycopy(cur, pos, b, off, n);
            pos += n;
            if (pos == FRAME_BYTES) {
                pos = 0;
                frame++;
            }
            return n;
        }
    }
}
