package dev.hfr.model;

import io.micronaut.serde.annotation.Serdeable;

/** What the plan learned about the composition by probing it in the browser. */
@Serdeable
public record CompositionInfo(
        String compositionId,
        int width,
        int height,
        int fps,
        double durationSeconds,
        int totalFrames,
        int videoCount,
        int audioCount) {
}
