package dev.hfr.ffmpeg;

/**
 * Per-frame PSNR of one video against another ({@code psnr_avg}, identical frames counted as 100 dB).
 *
 * @param meanDb         mean over compared frames
 * @param minDb          worst frame
 * @param framesCompared frames compared (the shorter input's count)
 */
public record PsnrResult(double meanDb, double minDb, int framesCompared) {
    /** What "inf" (identical frames) is mapped to. */
    public static final double IDENTICAL_DB = 100.0;
}
