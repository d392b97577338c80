package dev.hfr.sqs.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.Step;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The bodies of chunk and assemble messages, and the small JSON objects the protocol keeps on storage. */
public final class Messages {
    private Messages() {
    }

    /** What every message of one render carries, so no consumer has to read the plan to route work. */
    @Serdeable
    public record RenderContext(
            @JsonProperty("RenderId") String renderId,
            @JsonProperty("PlanOutputS3Prefix") String prefix,
            @JsonProperty("PlanManifestS3Uri") String manifestUri,
            @JsonProperty("PlanHash") String planHash,
            @JsonProperty("ChunkCount") int chunkCount,
            @JsonProperty("MaxParallelChunks") int maxParallelChunks,
            @JsonProperty("OutputS3Uri") String outputUri,
            @JsonProperty("Format") @Nullable String format) {

        public RenderChunkEvent chunkEvent(int index) {
            return new RenderChunkEvent(Step.RENDER_CHUNK.wireName(), manifestUri, planHash, index, prefix,
                    format, renderId);
        }

        public AssembleEvent assembleEvent(List<String> chunkUris) {
            return new AssembleEvent(Step.ASSEMBLE.wireName(), manifestUri, planHash, chunkUris, outputUri, format, renderId);
        }

        /** With the sha256 each chunk's completion marker recorded, which assemble checks. */
        public AssembleEvent assembleEvent(List<String> chunkUris, List<String> chunkSha256s) {
            return new AssembleEvent(Step.ASSEMBLE.wireName(), manifestUri, planHash, chunkUris, outputUri, format, renderId, chunkSha256s);
        }
    }

    /** Body of a chunk-queue message. */
    @Serdeable
    public record ChunkMessage(@JsonProperty("Render") RenderContext render, @JsonProperty("ChunkIndex") int chunkIndex) {
    }

    /** Body of an assemble-queue message. */
    @Serdeable
    public record AssembleMessage(@JsonProperty("Render") RenderContext render) {
    }

    /** Content of {@code RenderKeys.chunkDone}: where the chunk is and which message finished it. */
    @Serdeable
    public record ChunkDone(int chunkIndex, String chunkUri, @Nullable String sha256, String messageId, String at) {
    }

    /** Content of a claim marker: the message that holds it, so a redelivery of that message can finish the job. */
    @Serdeable
    public record ClaimRecord(String messageId, String at) {
    }

    /** Content of {@code RenderKeys.failure}: the first error that failed the render. */
    @Serdeable
    public record FailureRecord(String code, String message, @Nullable Integer chunk, String at) {
    }

    /** Content of {@code renders/index/<renderId>.json}: how {@code hf progress ID} finds the prefix. */
    @Serdeable
    public record RenderIndex(String renderId, String prefix, @Nullable String outputUri, String at) {
    }
}
