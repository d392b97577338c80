package dev.hfr.engine;

import dev.hfr.engine.plan.PlanServiceAccess;
import dev.hfr.model.ChunkSlicer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanMathTest {

    @Test
    void frameCountIsCeilingExceptNearIntegers() {
        assertEquals(60, PlanServiceAccess.totalFrames(2.0, 30));
        assertEquals(61, PlanServiceAccess.totalFrames(2.01, 30));
        assertEquals(60, PlanServiceAccess.totalFrames(2.00001, 30));
        assertEquals(1, PlanServiceAccess.totalFrames(0.001, 30));
        assertEquals(510, PlanServiceAccess.totalFrames(17.0, 30));
    }

    @Test
    void videoFramesGoOnlyToTheChunksThatShowThem() {
        var slices = ChunkSlicer.slice(90, 30, 16, null);
        // a video starting at 1 s (frame 30) with 30 frames: frame k shows at global frame 30 + k
        assertEquals(List.of(0, 1), PlanServiceAccess.chunks(0, 1.0, 30, 30, slices)); // clamped before start, and first shown
        assertEquals(List.of(1), PlanServiceAccess.chunks(15, 1.0, 30, 30, slices));
        assertEquals(List.of(1, 2), PlanServiceAccess.chunks(29, 1.0, 30, 30, slices)); // last frame held after the end
        assertEquals(List.of(), PlanServiceAccess.chunks(10, 0.0, 30, 30, List.of(slices.get(2))));
    }
}
