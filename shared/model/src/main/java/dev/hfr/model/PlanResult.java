package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Output of the plan step: small, so it fits Step Functions state with room to spare. */
@Serdeable
public record PlanResult(
        @JsonProperty("Action") String action,
        @JsonProperty("RenderId") String renderId,
        @JsonProperty("PlanHash") String planHash,
        @JsonProperty("PlanManifestS3Uri") String planManifestS3Uri,
        @JsonProperty("PlanOutputS3Prefix") String planOutputS3Prefix,
        @JsonProperty("ChunkCount") int chunkCount,
        @JsonProperty("TotalFrames") int totalFrames,
        @JsonProperty("Fps") int fps,
        @JsonProperty("Width") int width,
        @JsonProperty("Height") int height,
        @JsonProperty("Format") String format,
        @JsonProperty("HasAudio") boolean hasAudio,
        @JsonProperty("FfmpegVersion") String ffmpegVersion,
        @JsonProperty("EngineVersion") String engineVersion,
        @JsonProperty("DurationMs") long durationMs,
        @JsonProperty("Warnings") @Nullable List<String> warnings) {
}
