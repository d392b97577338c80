package dev.hfr.local;

import dev.hfr.model.AssembleResult;
import dev.hfr.model.PlanResult;

/** What a finished local render reports: output, size, frames and where the time went. */
public record LocalRenderSummary(
        String output,
        long sizeBytes,
        PlanResult plan,
        AssembleResult assemble,
        long planMillis,
        long renderMillis,
        long captureMillis,
        long encodeMillis,
        long assembleMillis,
        long totalMillis,
        int workers,
        String captureMode) {

    public double effectiveFps() {
        return totalMillis == 0 ? 0 : plan.totalFrames() * 1000.0 / totalMillis;
    }
}
