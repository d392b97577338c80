package dev.hfr.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkSlicerTest {

    @Test
    void explicitChunkSizeIsHonoured() {
        List<ChunkSlice> s = ChunkSlicer.slice(60, 15, 16, null);
        assertEquals(List.of(new ChunkSlice(0, 0, 15), new ChunkSlice(1, 15, 30), new ChunkSlice(2, 30, 45),
                new ChunkSlice(3, 45, 60)), s);
    }

    @Test
    void lastChunkTakesTheRemainder() {
        List<ChunkSlice> s = ChunkSlicer.slice(100, 30, 2, null);
        assertEquals(4, s.size());
        assertEquals(new ChunkSlice(3, 90, 100), s.get(3));
    }

    @Test
    void autoSizeGivesEachParallelWorkerOneChunk() {
        List<ChunkSlice> s = ChunkSlicer.slice(1800, null, 8, null);
        assertEquals(8, s.size());
        assertEquals(225, s.get(0).frameCount());
    }

    @Test
    void autoSizeNeverGoesBelowTheMinimum() {
        List<ChunkSlice> s = ChunkSlicer.slice(30, null, 16, null);
        assertEquals(3, s.size());
        assertTrue(s.stream().allMatch(c -> c.frameCount() == Limits.MIN_AUTO_CHUNK_SIZE));
    }

    @Test
    void automaticChunksOfALongRenderOnTwoWorkersKeepTheChunkCap() {
        // 1 h at 30 fps on 2 local workers: one chunk per worker would be 54 000 frames each
        List<ChunkSlice> s = ChunkSlicer.slice(108_000, null, 2, null);
        assertEquals(30, s.size());
        assertTrue(s.stream().allMatch(c -> c.frameCount() == Limits.MAX_CHUNK_SIZE), s.get(0).toString());
    }

    @Test
    void targetChunkFramesSetsAutoSize() {
        assertEquals(10, ChunkSlicer.slice(3000, null, 256, 300).size());
    }

    @Test
    void oneFrameIsOneChunk() {
        assertEquals(List.of(new ChunkSlice(0, 0, 1)), ChunkSlicer.slice(1, null, 16, null));
    }

    @Test
    void zeroFramesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChunkSlicer.slice(0, null, 16, null));
    }

    @Test
    void tooManyChunksIsPlanTooLarge() {
        RenderException e = assertThrows(RenderException.class, () -> ChunkSlicer.slice(100_000, 1, 16, null));
        assertEquals(ErrorCode.PLAN_TOO_LARGE, e.code());
    }

    @Test
    void theLimitIsTenThousandChunksAndTheErrorSaysSo() {
        assertEquals(10_000, ChunkSlicer.MAX_CHUNKS);
        assertEquals(10_000, ChunkSlicer.slice(10_000, 1, 16, null).size());
        RenderException e = assertThrows(RenderException.class, () -> ChunkSlicer.slice(10_001, 1, 16, null));
        assertEquals(ErrorCode.PLAN_TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("into 10001 chunks") && e.getMessage().contains("at most 10000"), e.getMessage());
        assertTrue(e.getMessage().contains("chunkSize"), "names the field to change: " + e.getMessage());
    }

    @Test
    void theChunkListHasOneItemPerChunkInOrder() {
        assertEquals("[]", new String(ChunkSlicer.chunkListJson(0), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("[{\"ChunkIndex\":0},{\"ChunkIndex\":1},{\"ChunkIndex\":2}]",
                new String(ChunkSlicer.chunkListJson(3), java.nio.charset.StandardCharsets.UTF_8));
        String big = new String(ChunkSlicer.chunkListJson(ChunkSlicer.MAX_CHUNKS), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(big.endsWith(",{\"ChunkIndex\":9999}]"), big.substring(big.length() - 40));
        assertThrows(IllegalArgumentException.class, () -> ChunkSlicer.chunkListJson(ChunkSlicer.MAX_CHUNKS + 1));
    }

    /** Property: for many (total, chunkSize, maxParallel) triples, slices tile [0,total) exactly once, in order. */
    @Test
    void slicesAreOrderedContiguousAndCoverEveryFrameOnce() {
        Random r = new Random(42);
        int checked = 0;
        for (int i = 0; i < 20_000; i++) {
            int total = 1 + r.nextInt(r.nextBoolean() ? 200 : 200_000);
            Integer chunkSize = r.nextInt(3) == 0 ? null : 1 + r.nextInt(r.nextBoolean() ? 20 : 3600);
            int maxParallel = 1 + r.nextInt(256);
            Integer target = r.nextInt(4) == 0 ? 1 + r.nextInt(3600) : null;
            List<ChunkSlice> s;
            try {
                s = ChunkSlicer.slice(total, chunkSize, maxParallel, target);
            } catch (RenderException e) {
                assertEquals(ErrorCode.PLAN_TOO_LARGE, e.code());
                assertTrue((total + chunkSize - 1) / chunkSize > ChunkSlicer.MAX_CHUNKS);
                continue;
            }
            int expectedStart = 0;
            for (int k = 0; k < s.size(); k++) {
                ChunkSlice c = s.get(k);
                assertEquals(k, c.index());
                assertEquals(expectedStart, c.startFrame(), "gap or overlap");
                assertTrue(c.endFrame() > c.startFrame(), "empty chunk");
                if (chunkSize != null && k < s.size() - 1) {
                    assertEquals(Math.min(chunkSize, total), c.frameCount());
                }
                expectedStart = c.endFrame();
            }
            assertEquals(total, expectedStart, "frames not covered");
            if (chunkSize == null && target == null) {
                int forcedByCap = (total + Limits.MAX_CHUNK_SIZE - 1) / Limits.MAX_CHUNK_SIZE;
                assertTrue(s.size() <= Math.max(maxParallel, forcedByCap), "auto size made more chunks than workers");
            }
            if (chunkSize == null) {
                assertTrue(s.stream().allMatch(c -> c.frameCount() <= Limits.MAX_CHUNK_SIZE), "an auto chunk over the cap");
            }
            checked++;
        }
        assertTrue(checked > 10_000, "only " + checked + " triples checked");
    }
}
