package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Input of the assemble step. {@code ChunkS3Uris} may be omitted: the plan's key layout gives them.
 * {@code ChunkSha256s}, when given (Step Functions passes each chunk step's {@code Sha256}, the SQS mode the
 * completion markers'), is checked against every downloaded chunk: a chunk changed after its step reported it is
 * CHUNK_DIGEST_MISMATCH.
 */
@Serdeable
public record AssembleEvent(
        @JsonProperty("Action") @Nullable String action,
        @JsonProperty("PlanManifestS3Uri") String planManifestS3Uri,
        @JsonProperty("PlanHash") String planHash,
        @JsonProperty("ChunkS3Uris") @Nullable List<String> chunkS3Uris,
        @JsonProperty("OutputS3Uri") String outputS3Uri,
        @JsonProperty("Format") @Nullable String format,
        @JsonProperty("RenderId") @Nullable String renderId,
        @JsonProperty("ChunkSha256s") @Nullable List<String> chunkSha256s) {

    /** Without chunk digests (the HyperFrames wire shape). */
    public AssembleEvent(String action, String planManifestS3Uri, String planHash, List<String> chunkS3Uris,
                         String outputS3Uri, String format, String renderId) {
        this(action, planManifestS3Uri, planHash, chunkS3Uris, outputS3Uri, format, renderId, null);
    }
}
