package dev.hfr.local;

import dev.hfr.model.ChunkSlicer;
import dev.hfr.model.RenderConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** hf render's (and the bench's) local chunking: one chunk per worker unless the config chooses. */
class OneChunkPerWorkerTest {

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
}
