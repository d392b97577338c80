package dev.hfr.ffmpeg;

/**
 * What ffprobe says about a media file. Absent streams give null codecs and zero numbers.
 *
 * @param durationSeconds      container duration
 * @param videoCodec           first video stream's codec name (h264, hevc, vp9, prores, ...), or null
 * @param width                video width in pixels
 * @param height               video height in pixels
 * @param frameCount           video packets counted by reading the whole stream (not the header's claim)
 * @param fps                  video r_frame_rate
 * @param pixelFormat          decoded pixel format (yuv420p, yuva444p12le, ...), or null
 * @param hasAudio             whether there is an audio stream
 * @param audioCodec           first audio stream's codec name (aac, opus, pcm_s16le, ...), or null
 * @param sampleRate           audio sample rate in Hz
 * @param channels             audio channel count
 * @param videoDurationSeconds video stream duration (container duration when the stream has none)
 * @param audioDurationSeconds audio stream duration (container duration when the stream has none)
 * @param colorSpace           video stream's YCbCr matrix tag as ffprobe names it ({@code bt709},
 *                             {@code smpte170m}, {@code bt470bg}, {@code bt2020nc}, ...), or null when untagged
 * @param averageFps           video avg_frame_rate, 0 when ffprobe gives none
 */
public record MediaInfo(
        double durationSeconds,
        String videoCodec,
        int width,
        int height,
        long frameCount,
        double fps,
        String pixelFormat,
        boolean hasAudio,
        String audioCodec,
        int sampleRate,
        int channels,
        double videoDurationSeconds,
        double audioDurationSeconds,
        String colorSpace,
        double averageFps) {

    public boolean hasVideo() {
        return videoCodec != null;
    }

    /**
     * Whether the video's frame rate varies: its r_frame_rate and avg_frame_rate differ by more than 10 %, the
     * rule HyperFrames 0.8.170 uses to choose how many frames a clip extracts (phone recordings are the usual case).
     */
    public boolean variableFrameRate() {
        return fps > 0 && averageFps > 0 && Math.abs(fps - averageFps) / Math.max(fps, averageFps) > 0.1;
    }
}
