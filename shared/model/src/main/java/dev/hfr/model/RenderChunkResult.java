package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/** Output of the render-chunk step (about 250 bytes, so 1,000 chunks fit one Step Functions state). */
@Serdeable
public record RenderChunkResult(
        @JsonProperty("Action") String action,
        @JsonProperty("ChunkS3Uri") String chunkS3Uri,
        @JsonProperty("ChunkIndex") int chunkIndex,
        @JsonProperty("Sha256") String sha256,
        @JsonProperty("FramesEncoded") int framesEncoded,
        @JsonProperty("CaptureMode") String captureMode,
        @JsonProperty("DurationMs") long durationMs) {
}
