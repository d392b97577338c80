package dev.hfr.engine.plan;

import dev.hfr.model.ChunkSlice;

import java.util.List;

/** Test access to PlanService's package-private arithmetic. */
public final class PlanServiceAccess {
    private PlanServiceAccess() {
    }

    public static int totalFrames(double d, int fps) {
        return PlanService.totalFrames(d, fps);
    }

    public static List<dev.hfr.model.PlanArtifact> collectArtifacts(java.nio.file.Path planDir,
            java.util.Map<String, List<Integer>> frameChunks) {
        return PlanService.collectArtifacts(planDir, frameChunks);
    }

    public static List<Integer> chunks(int k, double start, int fps, int n, List<ChunkSlice> slices) {
        return PlanService.chunksShowingVideoFrame(k, start, fps, n, slices);
    }
}
