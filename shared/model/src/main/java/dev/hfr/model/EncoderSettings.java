package dev.hfr.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Encoder settings locked into the plan so every chunk encodes identically.
 *
 * @param encoder       ffmpeg encoder: libx264, libx265, libvpx-vp9, prores_ks, or png (frame directory)
 * @param preset        x264/x265 preset (ultrafast..slow); VP9 deadline is derived from quality
 * @param crf           constant rate factor, or null when bitrate is set
 * @param bitrate       target bitrate such as 8M, or null
 * @param pixelFormat   output pixel format (yuv420p, yuva420p, yuva444p10le, rgba)
 * @param captureFormat jpeg (opaque, fast) or png (alpha)
 * @param jpegQuality   JPEG quality of captured frames (1..100)
 * @param vp9CpuUsed    libvpx-vp9 -cpu-used, or null for other encoders
 */
@Serdeable
public record EncoderSettings(
        String encoder,
        String quality,
        @Nullable String preset,
        @Nullable Integer crf,
        @Nullable String bitrate,
        String pixelFormat,
        String captureFormat,
        int jpegQuality,
        @Nullable Integer vp9CpuUsed) {

    /** Derives the locked settings from a validated, defaulted config. */
    public static EncoderSettings from(RenderConfig config) {
        RenderConfig c = config.withDefaults();
        String q = c.quality();
        String preset = switch (q) {
            case "draft" -> "ultrafast";
            case "high" -> "slow";
            default -> "medium";
        };
        int presetCrf = switch (q) {
            case "draft" -> 28;
            case "high" -> 15;
            default -> 18;
        };
        Integer crf = c.bitrate() != null ? null : (c.crf() != null ? c.crf() : presetCrf);
        int jpegQuality = "draft".equals(q) ? 80 : 95;
        return switch (c.outputFormat()) {
            case MP4 -> new EncoderSettings("h265".equals(c.codec()) ? "libx265" : "libx264", q, preset, crf,
                    c.bitrate(), "yuv420p", "jpeg", jpegQuality, null);
            case WEBM -> new EncoderSettings("libvpx-vp9", q, null,
                    c.bitrate() != null ? null : (c.crf() != null ? c.crf() : presetCrf + 12), c.bitrate(),
                    "yuva420p", "png", 100, Limits.VP9_CPU_USED);
            case MOV -> new EncoderSettings("prores_ks", q, null, null, null, "yuva444p10le", "png", 100, null);
            case PNG_SEQUENCE -> new EncoderSettings("png", q, null, null, null, "rgba", "png", 100, null);
        };
    }
}
