package dev.hfr.ffmpeg;

import dev.hfr.ffmpeg.internal.ProcessRunner;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quality metrics for tests and benchmarks: PSNR, SSIM, decoded-frame identity and the level of the
 * difference between two audio tracks. Inputs are video files or png-sequence directories
 * ({@code frame-%06d.png}). Failures are INTERNAL_ERROR: these are measuring tools, not render steps.
 */
public final class Quality {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final Pattern PSNR_AVG = Pattern.compile("psnr_avg:(\\S+)");
    private static final Pattern SSIM_ALL = Pattern.compile("All:(\\S+)");
    private static final Pattern RMS = Pattern.compile("RMS level dB: (\\S+)");
    /** What silence (RMS of -inf) is reported as. */
    public static final double SILENCE_DBFS = -200.0;

    private Quality() {
    }

    /** Per-frame PSNR of {@code b} against {@code a} (b is scaled to a's size and pixel format if they differ). */
    public static PsnrResult psnr(FfmpegTools tools, Path a, Path b) {
        List<Double> values = new ArrayList<>();
        for (String line : compare(tools, a, b, "psnr")) {
            Matcher m = PSNR_AVG.matcher(line);
            if (m.find()) {
                String v = m.group(1);
                values.add(v.startsWith("inf") ? PsnrResult.IDENTICAL_DB : Math.min(PsnrResult.IDENTICAL_DB,
                        Double.parseDouble(v)));
            }
        }
        if (values.isEmpty()) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "psnr compared no frames of " + a + " and " + b);
        }
        double sum = 0;
        double min = Double.MAX_VALUE;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
        }
        return new PsnrResult(sum / values.size(), min, values.size());
    }

    /** Mean SSIM ("All") of {@code b} against {@code a}. */
    public static double ssim(FfmpegTools tools, Path a, Path b) {
        double sum = 0;
        int n = 0;
        for (String line : compare(tools, a, b, "ssim")) {
            Matcher m = SSIM_ALL.matcher(line);
            if (m.find()) {
                sum += Double.parseDouble(m.group(1));
                n++;
            }
        }
        if (n == 0) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "ssim compared no frames of " + a + " and " + b);
        }
        return sum / n;
    }

    /**
     * RMS level, in dBFS, of {@code a - b} over their common length (both resampled to 48 kHz stereo):
     * {@value #SILENCE_DBFS} when they are sample-identical.
     */
    public static double audioResidualDbfs(FfmpegTools tools, Path a, Path b) {
        String graph = "[0:a:0]aresample=48000,aformat=sample_fmts=dblp:channel_layouts=stereo[x];"
                + "[1:a:0]aresample=48000,aformat=sample_fmts=dblp:channel_layouts=stereo,volume=-1[y];"
                + "[x][y]amix=inputs=2:duration=shortest:dropout_transition=0:normalize=0,"
                + "astats=metadata=0:reset=0:measure_perchannel=none:measure_overall=RMS_level";
        List<String> cmd = List.of(tools.ffmpeg().toString(), "-hide_banner", "-nostdin", "-nostats", "-v", "info",
                "-i", a.toString(), "-i", b.toString(), "-filter_complex", graph, "-f", "null", "-");
        ProcessRunner.Result r = run(cmd, "audio residual of " + a + " and " + b);
        Matcher m = RMS.matcher(r.stderr());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "astats printed no RMS level for " + a + " - " + b
                    + ": " + r.stderrTail());
        }
        return last.startsWith("-inf") ? SILENCE_DBFS : Double.parseDouble(last);
    }

    /** RMS level in dBFS of one audio file's first audio stream, optionally from {@code startSeconds} for {@code seconds}. */
    public static double audioRmsDbfs(FfmpegTools tools, Path file, double startSeconds, double seconds) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-hide_banner", "-nostdin", "-nostats",
                "-v", "info", "-i", file.toString(), "-map", "0:a:0", "-af",
                "atrim=start=" + startSeconds + ":duration=" + seconds
                        + ",astats=metadata=0:measure_perchannel=none:measure_overall=RMS_level",
                "-f", "null", "-"));
        ProcessRunner.Result r = run(cmd, "audio level of " + file);
        Matcher m = RMS.matcher(r.stderr());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "astats printed no RMS level for " + file);
        }
        return last.startsWith("-inf") ? SILENCE_DBFS : Double.parseDouble(last);
    }

    /** Whether both inputs decode to the same frames (same count, same per-frame md5 of the pixels). */
    public static boolean framesIdentical(FfmpegTools tools, Path a, Path b) {
        List<String> ma = frameMd5(tools, a);
        List<String> mb = frameMd5(tools, b);
        return !ma.isEmpty() && ma.equals(mb);
    }

    /** Per-frame md5 of the decoded video ({@code -f framemd5}), in presentation order. */
    public static List<String> frameMd5(FfmpegTools tools, Path input) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-hide_banner", "-nostdin", "-nostats",
                "-v", "error"));
        cmd.addAll(inputArgs(input));
        cmd.addAll(List.of("-map", "0:v:0", "-f", "framemd5", "-"));
        ProcessRunner.Result r = run(cmd, "framemd5 of " + input);
        List<String> hashes = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            hashes.add(f[f.length - 1].trim());
        }
        return hashes;
    }

    /** Input arguments for a file, or for a png-sequence directory read as an image sequence. */
    static List<String> inputArgs(Path input) {
        if (Files.isDirectory(input)) {
            List<Path> frames = MediaProbe.FrameFiles.list(input);
            if (frames.isEmpty()) {
                throw new RenderException(ErrorCode.INTERNAL_ERROR, input + " holds no frame-*.png files");
            }
            int first = FrameNames.indexOf(frames.getFirst().getFileName().toString());
            return List.of("-f", "image2", "-framerate", "30", "-start_number", Integer.toString(first), "-i",
                    input.resolve("frame-%06d.png").toString());
        }
        return List.of("-i", input.toString());
    }

    private static List<String> compare(FfmpegTools tools, Path a, Path b, String filter) {
        Path stats;
        try {
            stats = Files.createTempFile("hfr-" + filter, ".log");
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot create temp file: " + e.getMessage(), e);
        }
        try {
            boolean frameDirs = Files.isDirectory(a) || Files.isDirectory(b);
            String scaleA = frameDirs ? ",format=rgba" : "";
            String scaleB = scaleToMatch(tools, a, b);
            // stats path from createTempFile has no filter-graph metacharacters on Linux
            String graph = "[0:v:0]setpts=PTS-STARTPTS" + scaleA + "[ra];[1:v:0]setpts=PTS-STARTPTS" + scaleB + "[rb];"
                    + "[ra][rb]" + filter + "=stats_file=" + stats + ":shortest=1";
            List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-hide_banner", "-nostdin",
                    "-nostats", "-v", "error"));
            cmd.addAll(inputArgs(a));
            cmd.addAll(inputArgs(b));
            cmd.addAll(List.of("-filter_complex", graph, "-f", "null", "-"));
            run(cmd, filter + " of " + a + " and " + b);
            return Files.readAllLines(stats);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot read " + stats + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(stats);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }

    /** A scale/format suffix that makes b comparable with a, or "" when they already match. */
    private static String scaleToMatch(FfmpegTools tools, Path a, Path b) {
        if (Files.isDirectory(a) || Files.isDirectory(b)) {
            return ",format=rgba";
        }
        MediaInfo ia = MediaProbe.probe(tools, a, ErrorCode.INTERNAL_ERROR);
        MediaInfo ib = MediaProbe.probe(tools, b, ErrorCode.INTERNAL_ERROR);
        if (ia.width() == ib.width() && ia.height() == ib.height()
                && java.util.Objects.equals(ia.pixelFormat(), ib.pixelFormat())) {
            return "";
        }
        return ",scale=" + ia.width() + ":" + ia.height() + ",format=" + ia.pixelFormat();
    }

    private static ProcessRunner.Result run(List<String> cmd, String what) {
        ProcessRunner.Result r = ProcessRunner.run(cmd, TIMEOUT, ErrorCode.INTERNAL_ERROR);
        if (!r.ok()) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, what + " failed (exit " + r.exitCode() + "): "
                    + r.stderrTail());
        }
        return r;
    }
}
