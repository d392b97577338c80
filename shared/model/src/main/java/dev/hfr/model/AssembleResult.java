package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/** Output of the assemble step. */
@Serdeable
public record AssembleResult(
        @JsonProperty("Action") String action,
        @JsonProperty("OutputS3Uri") String outputS3Uri,
        @JsonProperty("FramesEncoded") int framesEncoded,
        @JsonProperty("FileSize") long fileSize,
        @JsonProperty("DurationMs") long durationMs) {
}
