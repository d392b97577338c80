package dev.hfr.browser;

/**
 * A {@code <video>} or {@code <audio>} element of the composition, as the plan step needs it.
 *
 * @param kind              "video" or "audio"
 * @param hfrId             data-hfr-video-id or data-hfr-audio-id, may be null
 * @param src               URL path relative to the site root (or the absolute URL of a remote source)
 * @param startSeconds      absolute composition time at which it starts (relative starts resolved)
 * @param durationSeconds   data-duration, null = until the media ends
 * @param mediaStartSeconds offset into the source (data-media-start, else data-playback-start)
 * @param playbackRate      data-playback-rate, default 1
 * @param volume            data-volume, default 1
 * @param hasAudio          audio elements: true; videos: data-has-audio == "true"
 */
public record MediaElement(String kind, String hfrId, String src, double startSeconds, Double durationSeconds,
        double mediaStartSeconds, double playbackRate, double volume, boolean hasAudio) {
}
