package dev.hfr.browser;

import java.util.List;

/**
 * What a loaded composition declares.
 *
 * @param compositionId   data-composition-id of the root composition
 * @param width           data-width of the root (0 when absent)
 * @param height          data-height of the root (0 when absent)
 * @param durationSeconds root data-duration, else the root timeline's duration()
 * @param timelines       keys of window.__timelines
 * @param media           video and audio elements
 * @param blockedRequests URLs the page tried to load from anywhere but the site server (a plan bug)
 * @param browserVersion  Chromium version string
 * @param glRenderer      WebGL UNMASKED_RENDERER, or "" when WebGL is unavailable
 */
public record PageProbe(String compositionId, int width, int height, double durationSeconds, List<String> timelines,
        List<MediaElement> media, List<String> blockedRequests, String browserVersion, String glRenderer) {
    public PageProbe {
        timelines = List.copyOf(timelines);
        media = List.copyOf(media);
        blockedRequests = List.copyOf(blockedRequests);
    }
}
