package dev.hfr.local;

import dev.hfr.model.ChunkSlicer;
import dev.hfr.model.RenderConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** hf render's local defaults: one chunk per worker unless the config chooses, and how many workers. */
class LocalDefaultsTest {

    @Test
    void aConfigWithoutChunkingGetsOneChunkPerWorker() {
        RenderConfig c = LocalRenderer.oneChunkPerWorker(RenderConfig.empty(), 2);
        assertEquals(2, c.maxParallelChunks());
        assertNull(c.chunkSize());
        // 60 frames on 2 workers: two chunks of 30, where the cloud default cuts six chunks of 10
        assertEquals(30, ChunkSlicer.resolveChunkSize(60, c.chunkSize(), c.maxParallelChunks(), null));
        assertEquals(1, LocalRenderer.oneChunkPerWorker(RenderConfig.empty(), 0).maxParallelChunks());
    }

    @Test
    void aConfigThatChoosesItsChunkingKeepsIt() {
        RenderConfig sized = RenderConfig.empty().toBuilder().chunkSize(7).build();
        assertSame(sized, LocalRenderer.oneChunkPerWorker(sized, 2));
        RenderConfig parallel = RenderConfig.empty().toBuilder().maxParallelChunks(5).build();
        assertSame(parallel, LocalRenderer.oneChunkPerWorker(parallel, 2));
    }

    @Test
    void theDefaultIsOneWorkerPerCoreAndAHalfBoundedByMemory() {
        // 2 cores: one worker (its browser and ffmpeg keep ~1.45 cores busy; a second one only competes)
        assertEquals(1, LocalRenderRequest.defaultWorkers(2, 24));
        assertEquals(1, LocalRenderRequest.defaultWorkers(1, 24));
        assertEquals(2, LocalRenderRequest.defaultWorkers(3, 24));
        assertEquals(5, LocalRenderRequest.defaultWorkers(8, 24));
        // memory bounds it: 3 GB holds two
        assertEquals(2, LocalRenderRequest.defaultWorkers(8, 3));
        // unknown memory: cores decide
        assertEquals(11, LocalRenderRequest.defaultWorkers(16, 0));
    }
}
