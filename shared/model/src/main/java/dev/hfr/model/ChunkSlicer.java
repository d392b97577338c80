package dev.hfr.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a frame range into ordered, contiguous, non-overlapping chunks.
 *
 * <p>An explicit {@code chunkSize} is honoured exactly (the last chunk takes the remainder), and
 * {@code maxParallelChunks} bounds how many run at once, not how many exist: a long render at a small
 * chunk size keeps every chunk short enough for one Lambda invocation. Without a chunk size the
 * renderer sizes chunks so that {@code maxParallelChunks} workers each get one (never fewer than
 * {@link Limits#MIN_AUTO_CHUNK_SIZE} frames, since a browser start costs about that much), or so that
 * chunks hold about {@code targetChunkFrames} frames when that is given; an automatic size never exceeds
 * {@link Limits#MAX_CHUNK_SIZE}, so few workers on a long render get more chunks, not longer ones.
 */
public final class ChunkSlicer {
    /**
     * Most chunks one plan may have. The Distributed Map reads its items from the plan's chunk list in S3, so
     * the items themselves are unbounded; what binds is the map's result: each chunk returns {@code {"Status":"OK"}}
     * (16 bytes with its comma) into the 256 KiB execution state, and the completeness check adds 5 bytes more per
     * chunk. 10,000 chunks take about 210 KiB, leaving the rest for the input, the plan summary and failures.
     */
    public static final int MAX_CHUNKS = 10_000;

    private ChunkSlicer() {
    }

    public static int resolveChunkSize(int totalFrames, Integer chunkSize, int maxParallelChunks, Integer targetChunkFrames) {
        if (totalFrames <= 0) {
            throw new IllegalArgumentException("totalFrames must be positive, got " + totalFrames);
        }
        if (maxParallelChunks < 1) {
            throw new IllegalArgumentException("maxParallelChunks must be >= 1, got " + maxParallelChunks);
        }
        if (chunkSize != null) {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
            }
            return Math.min(chunkSize, totalFrames);
        }
        int perWorker = ceilDiv(totalFrames, maxParallelChunks);
        int size = targetChunkFrames != null ? Math.max(targetChunkFrames, perWorker) : perWorker;
        size = Math.max(Limits.MIN_AUTO_CHUNK_SIZE, size);
        // the same cap an explicit chunkSize has: a longer chunk would outlive one Lambda invocation
        size = Math.min(size, Limits.MAX_CHUNK_SIZE);
        return Math.min(size, totalFrames);
    }

    public static List<ChunkSlice> slice(int totalFrames, Integer chunkSize, int maxParallelChunks, Integer targetChunkFrames) {
        int size = resolveChunkSize(totalFrames, chunkSize, maxParallelChunks, targetChunkFrames);
        int count = ceilDiv(totalFrames, size);
        if (count > MAX_CHUNKS) {
            throw new RenderException(ErrorCode.PLAN_TOO_LARGE, "chunkSize " + size + " splits " + totalFrames
                    + " frames into " + count + " chunks; at most " + MAX_CHUNKS + " are allowed: raise chunkSize");
        }
        List<ChunkSlice> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int start = i * size;
            out.add(new ChunkSlice(i, start, Math.min(totalFrames, start + size)));
        }
        return List.copyOf(out);
    }

    /** The plan's chunk list ({@link RenderKeys#chunkList}): {@code [{"ChunkIndex":0},...]}, one item per chunk. */
    public static byte[] chunkListJson(int chunkCount) {
        if (chunkCount < 0 || chunkCount > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunkCount must be 0.." + MAX_CHUNKS + ", got " + chunkCount);
        }
        StringBuilder json = new StringBuilder(chunkCount * 18 + 2).append('[');
        for (int i = 0; i < chunkCount; i++) {
            json.append(i == 0 ? "" : ",").append("{\"ChunkIndex\":").append(i).append('}');
        }
        return json.append(']').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static List<ChunkSlice> slice(int totalFrames, RenderConfig config) {
        RenderConfig c = config.withDefaults();
        return slice(totalFrames, c.chunkSize(), c.maxParallelChunks(), c.targetChunkFrames());
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
