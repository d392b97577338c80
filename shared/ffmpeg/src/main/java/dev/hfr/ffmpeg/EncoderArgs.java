package dev.hfr.ffmpeg;

import dev.hfr.model.EncoderSettings;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderException;

import java.util.ArrayList;
import java.util.List;

/**
 * ffmpeg arguments for one chunk, built so chunks join with the concat demuxer and {@code -c copy}:
 * every chunk is one closed GOP that starts with an IDR frame, has no B-frames (PTS == DTS), repeats
 * its headers, carries the same colour tags and pixel format, and uses the same time base. Pure: no
 * process is started here.
 */
public final class EncoderArgs {
    /** mp4/mov track time base for every frame rate that divides it (24, 25, 30, 50, 60, 10, 120, ...). */
    public static final int VIDEO_TIMESCALE = 90_000;

    /**
     * The mp4/mov track time base at {@code fps}: a multiple of fps, so every frame lasts a whole number
     * of ticks and chunk seams stay exactly on the frame grid (90 kHz where fps divides it, else fps x 1000).
     */
    public static int videoTimescale(int fps) {
        return VIDEO_TIMESCALE % fps == 0 ? VIDEO_TIMESCALE : fps * 1000;
    }

    private EncoderArgs() {
    }

    /** Input side of a chunk encode: encoded images on stdin at {@code fps}. */
    public static List<String> inputArgs(String captureFormat, int fps) {
        List<String> args = new ArrayList<>(List.of("-f", "image2pipe", "-c:v", inputCodec(captureFormat),
                "-framerate", Integer.toString(fps)));
        args.addAll(MediaInput.stdin());
        return List.copyOf(args);
    }

    /** ffmpeg's decoder for the captured image format: {@code jpeg -> mjpeg}, {@code png -> png}. */
    public static String inputCodec(String captureFormat) {
        return switch (captureFormat == null ? "" : captureFormat) {
            case "jpeg", "jpg" -> "mjpeg";
            case "png" -> "png";
            default -> throw new RenderException(ErrorCode.INVALID_CONFIG,
                    "encoder.captureFormat must be jpeg or png, got " + captureFormat);
        };
    }

    /** The muxer ({@code -f}) of a video format; png-sequence has none. */
    public static String muxer(OutputFormat format) {
        return switch (format) {
            case MP4 -> "mp4";
            case WEBM -> "webm";
            case MOV -> "mov";
            case PNG_SEQUENCE -> throw new IllegalArgumentException("png-sequence is a frame directory, not a muxer");
        };
    }

    /**
     * Output arguments (codec, GOP, colour, container options; no output path) for a chunk of
     * {@code frameCount} frames. png-sequence returns an empty list: its frames are written as files.
     */
    public static List<String> forChunk(EncoderSettings settings, OutputFormat format, int fps, int frameCount) {
        if (fps <= 0 || frameCount <= 0) {
            throw new IllegalArgumentException("fps and frameCount must be positive: fps=" + fps
                    + ", frameCount=" + frameCount);
        }
        String encoder = settings.encoder();
        requireFormat(encoder, format);
        requireResolved(settings);
        String gop = Integer.toString(frameCount);
        List<String> a = new ArrayList<>();
        switch (encoder) {
            case "libx264" -> {
                a.addAll(List.of("-c:v", "libx264", "-preset", settings.preset()));
                rateControl(a, settings);
                a.addAll(List.of("-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
                        "-force_key_frames", "expr:eq(n,0)", "-bf", "0",
                        "-x264-params", "scenecut=0:open-gop=0:repeat-headers=1"
                                + ":colorprim=bt709:transfer=bt709:colormatrix=bt709"));
                a.addAll(bt709("yuv420p", settings));
                a.addAll(List.of("-video_track_timescale", Integer.toString(videoTimescale(fps))));
            }
            case "libx265" -> {
                a.addAll(List.of("-c:v", "libx265", "-preset", settings.preset()));
                rateControl(a, settings);
                a.addAll(List.of("-force_key_frames", "expr:eq(n,0)", "-bf", "0",
                        "-x265-params", "keyint=" + gop + ":min-keyint=" + gop + ":scenecut=0:open-gop=0"
                                + ":repeat-headers=1:bframes=0:colorprim=bt709:transfer=bt709:colormatrix=bt709"
                                + ":log-level=error",
                        "-tag:v", "hvc1"));
                a.addAll(bt709("yuv420p", settings));
                a.addAll(List.of("-video_track_timescale", Integer.toString(videoTimescale(fps))));
            }
            case "libvpx-vp9" -> {
                a.addAll(List.of("-c:v", "libvpx-vp9"));
                if (settings.crf() != null) {
                    a.addAll(List.of("-b:v", settings.bitrate() != null ? settings.bitrate() : "0",
                            "-crf", settings.crf().toString()));
                } else {
                    a.addAll(List.of("-b:v", settings.bitrate()));
                }
                a.addAll(List.of("-deadline", "draft".equals(settings.quality()) ? "realtime" : "good",
                        "-cpu-used", settings.vp9CpuUsed().toString(), "-row-mt", "1",
                        "-g", gop, "-keyint_min", gop, "-force_key_frames", "expr:eq(n,0)",
                        "-auto-alt-ref", "0", "-metadata:s:v:0", "alpha_mode=1"));
                a.addAll(bt709("yuva420p", settings));
            }
            case "prores_ks" -> {
                // intra-only: every frame is a keyframe, so no GOP arguments are needed
                a.addAll(List.of("-c:v", "prores_ks", "-profile:v", "4444", "-vendor", "apl0"));
                a.addAll(bt709("yuva444p10le", settings));
                a.addAll(List.of("-video_track_timescale", Integer.toString(videoTimescale(fps))));
            }
            case "png" -> {
                return List.of();
            }
            default -> throw new RenderException(ErrorCode.FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED,
                    "encoder.encoder " + encoder + " is not supported (libx264, libx265, libvpx-vp9, prores_ks, png)");
        }
        a.addAll(List.of("-avoid_negative_ts", "make_zero", "-an"));
        return List.copyOf(a);
    }

    /**
     * HyperFrames' SDR capture filter: a JPEG capture (BT.601 full-range YCbCr, as the browser wrote it) is
     * first decoded to RGB exactly, then converted as any RGB picture. Converting YCbCr to YCbCr directly
     * (what a bare {@code scale=out_color_matrix=bt709} does with JPEG input) rounds every flat colour a few
     * levels off with a green cast: #111111 came out as (14, 16, 13), HyperFrames' as (17, 17, 17).
     */
    static final String JPEG_CAPTURE_TO_RGB = "scale=in_color_matrix=bt601:in_range=pc:flags=neighbor+accurate_rnd,format=gbrp,";

    /**
     * Colour handling shared by every YUV output: convert with the BT.709 matrix to limited range,
     * pad odd sizes to even (4:2:0 needs it; harmless otherwise) and tag the stream as BT.709.
     */
    private static List<String> bt709(String pixelFormat, EncoderSettings settings) {
        String pad = pixelFormat.startsWith("yuva") ? ":color=black@0" : "";
        boolean subsampled = pixelFormat.contains("420");
        boolean jpeg = "jpeg".equals(settings.captureFormat()) || "jpg".equals(settings.captureFormat());
        String vf = (jpeg ? JPEG_CAPTURE_TO_RGB + "scale=out_color_matrix=bt709:out_range=tv:flags=neighbor"
                : "scale=out_color_matrix=bt709:out_range=tv")
                + (subsampled ? ",pad=ceil(iw/2)*2:ceil(ih/2)*2" + pad : "");
        return List.of("-vf", vf, "-pix_fmt", pixelFormat,
                "-colorspace:v", "bt709", "-color_primaries:v", "bt709", "-color_trc:v", "bt709",
                "-color_range:v", "tv");
    }

    private static void rateControl(List<String> a, EncoderSettings s) {
        if (s.crf() != null) {
            a.addAll(List.of("-crf", s.crf().toString()));
        } else {
            a.addAll(List.of("-b:v", s.bitrate()));
        }
    }

    /**
     * The defaults live in one place, {@link EncoderSettings#from}, which the plan locks: an x264/x265/VP9 setting
     * without a rate (crf or bitrate), an x264/x265 one without a preset or a VP9 one without cpu-used was not
     * made there, and is refused instead of being filled with a second set of defaults here.
     */
    static void requireResolved(EncoderSettings s) {
        String e = s.encoder();
        boolean rated = !List.of("libx264", "libx265", "libvpx-vp9").contains(e) || s.crf() != null || s.bitrate() != null;
        boolean preset = !List.of("libx264", "libx265").contains(e) || s.preset() != null;
        boolean cpuUsed = !"libvpx-vp9".equals(e) || s.vp9CpuUsed() != null;
        if (!rated || !preset || !cpuUsed) {
            throw new RenderException(ErrorCode.PROGRAMMING_ERROR, "encoder settings " + s + " are not resolved:"
                    + (rated ? "" : " no crf or bitrate;") + (preset ? "" : " no preset;") + (cpuUsed ? "" : " no vp9CpuUsed;")
                    + " expected EncoderSettings.from(config) to fill them");
        }
    }

    private static void requireFormat(String encoder, OutputFormat format) {
        OutputFormat expected = switch (encoder == null ? "" : encoder) {
            case "libx264", "libx265" -> OutputFormat.MP4;
            case "libvpx-vp9" -> OutputFormat.WEBM;
            case "prores_ks" -> OutputFormat.MOV;
            case "png" -> OutputFormat.PNG_SEQUENCE;
            default -> throw new RenderException(ErrorCode.FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED,
                    "encoder.encoder " + encoder + " is not supported (libx264, libx265, libvpx-vp9, prores_ks, png)");
        };
        if (expected != format) {
            throw new RenderException(ErrorCode.FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED, "encoder.encoder " + encoder
                    + " cannot write format " + format.wireName() + " (expected " + expected.wireName() + ")");
        }
    }
}
