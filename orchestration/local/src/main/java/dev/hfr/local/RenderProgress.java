package dev.hfr.local;

import dev.hfr.engine.chunk.RenderChunkService.ChunkTimings;
import dev.hfr.model.PlanResult;

/** Progress of a local render, reported from worker threads (implementations must be thread-safe). */
public interface RenderProgress {
    RenderProgress NONE = new RenderProgress() {
    };

    default void stage(String stage) {
    }

    default void planned(PlanResult plan) {
    }

    default void frame(int chunk, int globalFrame) {
    }

    default void chunkDone(int chunk, ChunkTimings timings) {
    }

    default void chunkRetry(int chunk, int attempt, String code, String message) {
    }

    default void assembling() {
    }
}
