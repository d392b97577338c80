package dev.hfr.ffmpeg;

import com.grack.nanojson.JsonArray;
import com.grack.nanojson.JsonObject;
import com.grack.nanojson.JsonParser;
import com.grack.nanojson.JsonParserException;
import dev.hfr.ffmpeg.internal.ProcessRunner;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** ffprobe as data: stream facts ({@link MediaInfo}) and per-packet facts (keyframes, reordering). */
public final class MediaProbe {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private MediaProbe() {
    }

    /** One video packet in decode order. */
    public record Packet(long pts, long dts, boolean keyframe) {
    }

    /** ffprobe command for {@link #probe}; packets are counted so frameCount is measured, not claimed. */
    public static List<String> probeArgs(FfmpegTools tools, Path file) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffprobe().toString(), "-v", "error", "-count_packets",
                "-show_format", "-show_streams", "-of", "json"));
        cmd.addAll(MediaInput.projectFile(file));
        return cmd;
    }

    /** Probes {@code file}; unreadable or not media -> INVALID_VIDEO_METADATA naming the file. */
    public static MediaInfo probe(FfmpegTools tools, Path file) {
        return probe(tools, file, ErrorCode.INVALID_VIDEO_METADATA);
    }

    /** Probes {@code file}, reporting failure with {@code failureCode}. */
    public static MediaInfo probe(FfmpegTools tools, Path file, ErrorCode failureCode) {
        if (!Files.isRegularFile(file)) {
            throw new RenderException(failureCode, "media file " + file + " does not exist");
        }
        MediaInput.requireMediaFile(file, "media file " + file);
        ProcessRunner.Result r = ProcessRunner.run(probeArgs(tools, file), TIMEOUT, failureCode);
        if (!r.ok() && MediaInput.refused(r.stderr())) {
            throw new RenderException(ErrorCode.MEDIA_NOT_ALLOWED, "media file " + file + " is not a self-contained"
                    + " media container (allowed: " + MediaInput.PROJECT_FORMATS + "): " + r.stderrTail());
        }
        if (!r.ok()) {
            throw new RenderException(failureCode, "ffprobe cannot read " + file + " (exit " + r.exitCode()
                    + "): " + r.stderrTail());
        }
        try {
            return parse(r.stdout());
        } catch (JsonParserException | RuntimeException e) {
            throw new RenderException(failureCode, "ffprobe output for " + file + " is not the expected JSON: "
                    + e.getMessage(), e);
        }
    }

    /** Parses ffprobe's {@code -show_format -show_streams -of json} output. */
    static MediaInfo parse(String json) throws JsonParserException {
        JsonObject root = JsonParser.object().from(json);
        JsonObject format = root.getObject("format");
        double containerDuration = number(format.get("duration"), 0);
        JsonObject video = null;
        JsonObject audio = null;
        JsonArray streams = root.getArray("streams");
        for (int i = 0; i < streams.size(); i++) {
            JsonObject s = streams.getObject(i);
            String type = s.getString("codec_type", "");
            // cover art and thumbnails are "video" streams too; skip them
            boolean attachedPic = s.getObject("disposition") != null
                    && s.getObject("disposition").getInt("attached_pic", 0) == 1;
            if ("video".equals(type) && video == null && !attachedPic) {
                video = s;
            } else if ("audio".equals(type) && audio == null) {
                audio = s;
            }
        }
        return new MediaInfo(
                containerDuration,
                video == null ? null : video.getString("codec_name", null),
                video == null ? 0 : video.getInt("width", 0),
                video == null ? 0 : video.getInt("height", 0),
                video == null ? 0 : (long) number(video.get("nb_read_packets"), 0),
                video == null ? 0 : rational(video.getString("r_frame_rate", "0/1")),
                video == null ? null : video.getString("pix_fmt", null),
                audio != null,
                audio == null ? null : audio.getString("codec_name", null),
                audio == null ? 0 : (int) number(audio.get("sample_rate"), 0),
                audio == null ? 0 : audio.getInt("channels", 0),
                video == null ? 0 : number(video.get("duration"), containerDuration),
                audio == null ? 0 : number(audio.get("duration"), containerDuration),
                video == null ? null : tag(video.getString("color_space", null)));
    }

    /** ffprobe's colour tag, null when absent or {@code unknown}/{@code unspecified}. */
    private static String tag(String value) {
        return value == null || value.isBlank() || "unknown".equals(value) || "unspecified".equals(value)
                ? null : value;
    }

    /** Frames of a video file (packets counted) or of a png-sequence directory ({@code frame-*.png} files). */
    public static long frameCount(FfmpegTools tools, Path videoOrFrameDir) {
        if (Files.isDirectory(videoOrFrameDir)) {
            return FrameFiles.list(videoOrFrameDir).size();
        }
        return probe(tools, videoOrFrameDir).frameCount();
    }

    /**
     * Video frames of {@code file} counted by reading every packet of the first video stream (cheaper
     * than {@link #probe}); unreadable or no video -> {@code failureCode} naming the file.
     */
    public static long countVideoFrames(FfmpegTools tools, Path file, ErrorCode failureCode) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffprobe().toString(), "-v", "error", "-select_streams", "v:0",
                "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0"));
        cmd.addAll(MediaInput.projectFile(file));
        ProcessRunner.Result r = ProcessRunner.run(cmd, TIMEOUT, failureCode);
        String out = r.stdout().trim();
        if (!r.ok() || out.isEmpty()) {
            throw new RenderException(failureCode, "ffprobe cannot count video frames of " + file + " (exit "
                    + r.exitCode() + (out.isEmpty() && r.ok() ? ", no video stream" : "") + "): " + r.stderrTail());
        }
        try {
            return Long.parseLong(out.lines().findFirst().orElse("").replace(",", "").trim());
        } catch (NumberFormatException e) {
            throw new RenderException(failureCode, "ffprobe printed '" + out + "' as the frame count of " + file);
        }
    }

    /** Video packets of {@code file} in decode order. */
    public static List<Packet> packets(FfmpegTools tools, Path file) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffprobe().toString(), "-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=pts,dts,flags", "-of", "csv=p=0"));
        cmd.addAll(MediaInput.projectFile(file));
        ProcessRunner.Result r = ProcessRunner.run(cmd, TIMEOUT, ErrorCode.INVALID_VIDEO_METADATA);
        if (!r.ok()) {
            throw new RenderException(ErrorCode.INVALID_VIDEO_METADATA, "ffprobe cannot list packets of " + file
                    + ": " + r.stderrTail());
        }
        List<Packet> packets = new ArrayList<>();
        for (String line : r.stdout().lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.trim().split(",");
            long pts = parseTs(f[0], Long.MIN_VALUE);
            long dts = parseTs(f.length > 1 ? f[1] : "N/A", pts);
            boolean key = f.length > 2 && f[2].contains("K");
            packets.add(new Packet(pts, dts, key));
        }
        return packets;
    }

    /** Indexes (decode order) of the video packets flagged as keyframes. */
    public static List<Integer> keyframeIndexes(FfmpegTools tools, Path file) {
        List<Packet> packets = packets(tools, file);
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).keyframe()) {
                keys.add(i);
            }
        }
        return keys;
    }

    /**
     * Whether any frame is reordered (a B-frame): some packet's PTS differs from its DTS, or PTS goes
     * backwards in decode order. Chunks must never have them, or the concat seams misorder frames.
     */
    public static boolean hasReorderedFrames(FfmpegTools tools, Path file) {
        long previous = Long.MIN_VALUE;
        for (Packet p : packets(tools, file)) {
            if (p.pts() != p.dts() || p.pts() < previous) {
                return true;
            }
            previous = p.pts();
        }
        return false;
    }

    private static long parseTs(String s, long fallback) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static double number(Object o, double fallback) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    private static double rational(String r) {
        String[] p = r.split("/");
        try {
            double num = Double.parseDouble(p[0]);
            double den = p.length > 1 ? Double.parseDouble(p[1]) : 1;
            return den == 0 ? 0 : num / den;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Frame files of a png-sequence directory. */
    static final class FrameFiles {
        private FrameFiles() {
        }

        static List<Path> list(Path dir) {
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> FrameNames.isFrame(p.getFileName().toString())).sorted(java.util.Comparator.comparingInt(
                        (Path p) -> FrameNames.indexOf(p.getFileName().toString()))).toList();
            } catch (IOException e) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot list frames in " + dir + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
