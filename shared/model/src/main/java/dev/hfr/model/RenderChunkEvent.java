package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Input of the render-chunk step. */
@Serdeable
public record RenderChunkEvent(
        @JsonProperty("Action") @Nullable String action,
        @JsonProperty("PlanManifestS3Uri") String planManifestS3Uri,
        @JsonProperty("PlanHash") String planHash,
        @JsonProperty("ChunkIndex") int chunkIndex,
        @JsonProperty("ChunkOutputS3Prefix") String chunkOutputS3Prefix,
        @JsonProperty("Format") @Nullable String format,
        @JsonProperty("RenderId") @Nullable String renderId) {
}
