package dev.hfr.ffmpeg;

import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.Rational;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.Stream;
import com.github.kokorin.jaffree.ffprobe.data.JsonFormatParser;
import com.github.kokorin.jaffree.ffprobe.data.ProbeData;
import dev.hfr.ffmpeg.internal.JaffreeRuns;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * ffprobe as data, through Jaffree's {@link FFprobe} (typed results): stream facts ({@link MediaInfo}) and
 * per-packet facts (keyframes, reordering). Every probe gets the input rules of {@link MediaInput#ffprobe}.
 */
public final class MediaProbe {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private MediaProbe() {
    }

    /** One video packet in decode order. */
    public record Packet(long pts, long dts, boolean keyframe) {
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
        return probeWithoutSignatureCheck(tools, file, failureCode);
    }

    /**
     * {@link #probe} without {@link MediaInput#requireMediaFile}: only ffprobe's whitelists stand between a
     * hostile file and the outside (HostileMediaTest proves they hold on their own). Packets are counted, so
     * frameCount is measured, not claimed.
     */
    static MediaInfo probeWithoutSignatureCheck(FfmpegTools tools, Path file, ErrorCode failureCode) {
        FFprobeResult r = run(tools, file, failureCode, true, "read",
                p -> p.setCountPackets(true).setShowFormat(true).setShowStreams(true));
        try {
            return info(r);
        } catch (RuntimeException e) {
            throw new RenderException(failureCode, "ffprobe output for " + file + " is not what was expected: "
                    + e.getMessage(), e);
        }
    }

    /** Parses ffprobe's {@code -show_format -show_streams -of json} output (what {@link #probe} reads). */
    static MediaInfo parse(String json) {
        return info(new FFprobeResult(new JsonFormatParser().parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))));
    }

    private static MediaInfo info(FFprobeResult r) {
        ProbeData format = r.getFormat() == null ? null : r.getFormat().getProbeData();
        double containerDuration = format == null ? 0 : orElse(format.getDouble("duration"), 0.0);
        Stream video = null;
        Stream audio = null;
        for (Stream s : r.getStreams()) {
            // cover art and thumbnails are "video" streams too; skip them
            ProbeData disposition = s.getProbeData().getSubData("disposition");
            boolean attachedPic = disposition != null && orElse(disposition.getInteger("attached_pic"), 0) == 1;
            if (s.getCodecType() == StreamType.VIDEO && video == null && !attachedPic) {
                video = s;
            } else if (s.getCodecType() == StreamType.AUDIO && audio == null) {
                audio = s;
            }
        }
        return new MediaInfo(
                containerDuration,
                video == null ? null : video.getCodecName(),
                video == null ? 0 : orElse(video.getWidth(), 0),
                video == null ? 0 : orElse(video.getHeight(), 0),
                video == null ? 0 : orElse(video.getProbeData().getLong("nb_read_packets"), 0L).longValue(),
                video == null ? 0 : rate(video.getRFrameRate()),
                video == null ? null : video.getPixFmt(),
                audio != null,
                audio == null ? null : audio.getCodecName(),
                audio == null ? 0 : orElse(audio.getSampleRate(), 0),
                audio == null ? 0 : orElse(audio.getChannels(), 0),
                video == null ? 0 : orElse(video.getProbeData().getDouble("duration"), containerDuration),
                audio == null ? 0 : orElse(audio.getProbeData().getDouble("duration"), containerDuration),
                video == null ? null : tag(video.getProbeData().getString("color_space")),
                video == null ? 0 : rate(video.getAvgFrameRate()));
    }

    /** A frame rate ffprobe gives as a fraction, 0 when it gives none ({@code 0/0}). */
    private static double rate(Rational r) {
        return r == null || r.getDenominator() == 0 ? 0 : r.doubleValue();
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
        FFprobeResult r = run(tools, file, failureCode, false, "count video frames of",
                p -> p.setSelectStreams("v:0").setCountPackets(true).setShowEntries("stream=nb_read_packets"));
        Long n = r.getStreams().isEmpty() ? null : r.getStreams().getFirst().getProbeData().getLong("nb_read_packets");
        if (n == null) {
            throw new RenderException(failureCode, "ffprobe cannot count video frames of " + file + ": no video stream");
        }
        return n;
    }

    /** Video packets of {@code file} in decode order. */
    public static List<Packet> packets(FfmpegTools tools, Path file) {
        FFprobeResult r = run(tools, file, ErrorCode.INVALID_VIDEO_METADATA, false, "list packets of",
                p -> p.setSelectStreams("v:0").setShowEntries("packet=pts,dts,flags"));
        List<Packet> packets = new ArrayList<>();
        for (com.github.kokorin.jaffree.ffprobe.Packet p : r.getPackets()) {
            long pts = p.getPts() == null ? Long.MIN_VALUE : p.getPts();
            long dts = p.getDts() == null ? pts : p.getDts();
            packets.add(new Packet(pts, dts, p.getFlags() != null && p.getFlags().contains("K")));
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

    /**
     * Runs one ffprobe (JSON output, errors only on stderr) with {@code options} on {@code file}, within
     * {@link #TIMEOUT}. A whitelist refusal is MEDIA_NOT_ALLOWED when {@code projectMedia} (the file is the
     * user's), else, like any other failure, {@code failureCode} (our own chunks) with ffprobe's reason.
     */
    private static FFprobeResult run(FfmpegTools tools, Path file, ErrorCode failureCode, boolean projectMedia,
                                     String doing,
                                     UnaryOperator<FFprobe> options) {
        FFprobe probe = options.apply(MediaInput.ffprobe(tools, file)).setFormatParser(new JsonFormatParser());
        JaffreeRuns.Outcome<FFprobeResult> r = JaffreeRuns.run(probe::execute, TIMEOUT, failureCode, "ffprobe of " + file);
        if (r.ok()) {
            return r.result();
        }
        String stderr = r.failure().stderr();
        if (projectMedia && MediaInput.refused(stderr)) {
            throw new RenderException(ErrorCode.MEDIA_NOT_ALLOWED, "media file " + file + " is not a self-contained"
                    + " media container (allowed: " + MediaInput.PROJECT_FORMATS + "): " + RenderException.tail(stderr, 12),
                    r.failure().cause());
        }
        if (r.failure().cause() instanceof JaffreeException) {
            throw new RenderException(failureCode, "ffprobe cannot " + doing + " " + file + ": "
                    + RenderException.tail(stderr, 12), r.failure().cause());
        }
        throw new RenderException(failureCode, "ffprobe output for " + file + " is not the expected JSON: "
                + r.failure().cause().getMessage(), r.failure().cause());
    }

    private static <T> T orElse(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** Frame files of a png-sequence directory. */
    static final class FrameFiles {
        private FrameFiles() {
        }

        static List<Path> list(Path dir) {
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> FrameNames.isFrame(p.getFileName().toString())).sorted(java.util.Comparator.comparingInt(
                        (Path p) -> FrameNames.indexOf(p.getFileName().toString()))).toList();
            } catch (IOException e) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot list frames in " + dir + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
