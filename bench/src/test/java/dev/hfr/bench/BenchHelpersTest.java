package dev.hfr.bench;

import dev.hfr.engine.chunk.RenderChunkService.ChunkTimings;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchHelpersTest {

    @Test
    void parsesRenderFlagsAndRejectsUnknownOnes() {
        RenderArgs a = RenderArgs.parse(List.of("--workers", "3", "--crf", "16", "--quality", "standard", "--chunk-size", "113"));
        assertEquals(new RenderArgs(3, 16, "standard", 113, null, "mp4"), a);
        assertEquals("png-sequence", RenderArgs.parse(List.of("--format", "png-sequence")).format());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RenderArgs.parse(List.of("--bogus", "1")));
        assertTrue(e.getMessage().contains("--bogus"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RenderArgs.parse(List.of("--workers")));
    }

    @Test
    void writesValidJsonWithEscapes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001");
        m.put("n", 3);
        m.put("d", 1.5);
        m.put("nan", Double.NaN);
        m.put("list", List.of(true, "x"));
        m.put("nil", null);
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":3,\"d\":1.5,\"nan\":null,\"list\":[true,\"x\"],\"nil\":null}",
                Json.object(m));
    }

    @Test
    void recordsPlanStagesOnlyUntilThePlanIsReady() {
        ChunkRecorder r = new ChunkRecorder();
        r.stage("compile");
        r.stage("probe");
        r.stage("compile");
        r.planned(null);
        r.stage("assemble");
        Map<String, Double> stages = r.planStages();
        assertEquals(List.of("compile", "probe", "planned"), List.copyOf(stages.keySet()));
        assertTrue(stages.get("compile") <= stages.get("probe") && stages.get("probe") <= stages.get("planned"));
    }

    @Test
    void chunkStartsWhenTheSameWorkerFinishedItsPreviousChunk() throws Exception {
        ChunkRecorder r = new ChunkRecorder();
        r.planned(null);
        ChunkTimings t = new ChunkTimings(1, 2, 3, 4, 10);
        Thread worker = new Thread(() -> {
            r.frame(0, 0);
            r.frame(0, 1);
            r.chunkDone(0, t);
            r.frame(2, 4);
            r.chunkDone(2, t);
        });
        worker.start();
        worker.join();
        Thread other = new Thread(() -> {
            r.frame(1, 2);
            r.chunkDone(1, t);
        });
        other.start();
        other.join();
        List<ChunkRecorder.Chunk> chunks = r.chunks();
        assertEquals(List.of(0, 1, 2), chunks.stream().map(ChunkRecorder.Chunk::index).toList());
        assertEquals(0.0, chunks.get(0).startMillis());
        assertEquals(2, chunks.get(0).frames());
        assertEquals(0.0, chunks.get(1).startMillis(), "a fresh worker starts when the plan was ready");
        assertEquals(chunks.get(0).doneMillis(), chunks.get(2).startMillis(), "same worker: starts when chunk 0 ended");
        assertTrue(chunks.get(2).firstFrameMillis() >= chunks.get(2).startMillis());
        assertEquals(t, chunks.get(2).timings());
    }
}
