package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Input of the assemble step. {@code ChunkS3Uris} may be omitted: the plan's key layout gives them. */
@Serdeable
public record AssembleEvent(
        @JsonProperty("Action") @Nullable String action,
        @JsonProperty("PlanManifestS3Uri") String planManifestS3Uri,
        @JsonProperty("PlanHash") String planHash,
        @JsonProperty("ChunkS3Uris") @Nullable List<String> chunkS3Uris,
        @JsonProperty("OutputS3Uri") String outputS3Uri,
        @JsonProperty("Format") @Nullable String format,
        @JsonProperty("RenderId") @Nullable String renderId) {
}
