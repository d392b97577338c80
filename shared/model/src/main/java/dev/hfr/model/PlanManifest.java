package dev.hfr.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The plan: everything a chunk worker or the assembler needs, with content-addressed artifacts and a
 * hash over all of it ({@link PlanHash}). Stored at {@link RenderKeys#planManifest(String)}.
 */
@Serdeable
public record PlanManifest(
        String schema,
        @Nullable String planHash,
        String renderId,
        String engineVersion,
        String ffmpegVersion,
        String format,
        CompositionInfo composition,
        EncoderSettings encoder,
        List<ChunkSlice> chunks,
        boolean hasAudio,
        List<PlanArtifact> artifacts,
        @Nullable List<String> warnings) {

    public PlanManifest {
        // serde omits empty lists; normalise so a round trip hashes the same
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    public static final String SCHEMA = "hfr-plan-v1";
    /** Artifact path of the mixed audio track. */
    public static final String AUDIO_PATH = "audio.m4a";
    /**
     * The compiled project as one tar (paths {@code compiled/...}): every file every chunk needs, so a chunk makes one
     * download however many files the project has; per-chunk video frames stay separate artifacts.
     */
    public static final String SITE_BUNDLE_PATH = "site.tar";
    /** Artifact path of the compiled entry document. */
    public static final String ENTRY_PATH = "compiled/index.html";

    public PlanManifest withPlanHash(String hash) {
        return new PlanManifest(schema, hash, renderId, engineVersion, ffmpegVersion, format, composition, encoder,
                chunks, hasAudio, artifacts, warnings);
    }

    public OutputFormat outputFormat() {
        return OutputFormat.fromWire(format);
    }

    public ChunkSlice chunk(int index) {
        if (index < 0 || index >= chunks.size()) {
            throw new RenderException(ErrorCode.CHUNK_INDEX_OUT_OF_RANGE,
                    "chunk index " + index + " is outside the plan's " + chunks.size() + " chunks (0.." + (chunks.size() - 1) + ")");
        }
        return chunks.get(index);
    }
}
