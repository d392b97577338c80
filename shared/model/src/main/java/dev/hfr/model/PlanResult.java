package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Output of the plan step: small, so it fits Step Functions state with room to spare. It carries the values
 * the plan resolved from the config (defaults filled once, there): every orchestrator reads them from here
 * ({@code MaxParallelChunks}: the Distributed Map's MaxConcurrency, the SQS mode's release window, the local
 * scheduler's bound) instead of working them out again from the raw config. {@code ChunkListBucket} and
 * {@code ChunkListKey} locate the chunk list the plan wrote ({@link RenderKeys#chunkList}, one
 * {@code {"ChunkIndex": i}} per chunk): the Distributed Map's ItemReader reads it from S3, so the number of chunks is
 * not bounded by the Step Functions state. Both are null for a local render prefix.
 */
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
        @JsonProperty("Warnings") @Nullable List<String> warnings,
        @JsonProperty("MaxParallelChunks") int maxParallelChunks,
        @JsonProperty("ChunkListBucket") @Nullable String chunkListBucket,
        @JsonProperty("ChunkListKey") @Nullable String chunkListKey) {

    /** Without a chunk list location (see {@link #withChunkList}). */
    public PlanResult(String action, String renderId, String planHash, String planManifestS3Uri,
                      String planOutputS3Prefix, int chunkCount, int totalFrames, int fps, int width, int height,
                      String format, boolean hasAudio, String ffmpegVersion, String engineVersion, long durationMs,
                      List<String> warnings, int maxParallelChunks) {
        this(action, renderId, planHash, planManifestS3Uri, planOutputS3Prefix, chunkCount, totalFrames, fps, width,
                height, format, hasAudio, ffmpegVersion, engineVersion, durationMs, warnings, maxParallelChunks, null, null);
    }

    /** With the default concurrency ({@link Limits#DEFAULT_MAX_PARALLEL_CHUNKS}): a config that left it unset. */
    public PlanResult(String action, String renderId, String planHash, String planManifestS3Uri,
                      String planOutputS3Prefix, int chunkCount, int totalFrames, int fps, int width, int height,
                      String format, boolean hasAudio, String ffmpegVersion, String engineVersion, long durationMs,
                      List<String> warnings) {
        this(action, renderId, planHash, planManifestS3Uri, planOutputS3Prefix, chunkCount, totalFrames, fps, width,
                height, format, hasAudio, ffmpegVersion, engineVersion, durationMs, warnings,
                Limits.DEFAULT_MAX_PARALLEL_CHUNKS);
    }

    /** This result pointing at the chunk list written at {@code chunkListUri}; bucket and key stay null unless it is in S3. */
    public PlanResult withChunkList(String chunkListUri) {
        StorageUri uri = StorageUri.parse(chunkListUri);
        return new PlanResult(action, renderId, planHash, planManifestS3Uri, planOutputS3Prefix, chunkCount, totalFrames,
                fps, width, height, format, hasAudio, ffmpegVersion, engineVersion, durationMs, warnings,
                maxParallelChunks, uri.isS3() ? uri.bucket() : null, uri.isS3() ? uri.key() : null);
    }
}
