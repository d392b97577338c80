package dev.hfr.bench;

import dev.hfr.local.LocalRenderSummary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The render summary and chunk timings as a JSON-ready map (field names match `hf render --json`'s done event). */
final class SummaryJson {
    private SummaryJson() {
    }

    static Map<String, Object> of(LocalRenderSummary s, List<ChunkRecorder.Chunk> chunks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "done");
        m.put("output", s.output());
        m.put("sizeBytes", s.sizeBytes());
        m.put("frames", s.plan().totalFrames());
        m.put("fps", s.plan().fps());
        m.put("width", s.plan().width());
        m.put("height", s.plan().height());
        m.put("chunkCount", s.plan().chunkCount());
        m.put("totalMillis", s.totalMillis());
        m.put("planMillis", s.planMillis());
        m.put("renderMillis", s.renderMillis());
        m.put("captureMillis", s.captureMillis());
        m.put("encodeMillis", s.encodeMillis());
        m.put("assembleMillis", s.assembleMillis());
        m.put("workers", s.workers());
        m.put("effectiveFps", s.effectiveFps());
        List<Map<String, Object>> list = chunks.stream().map(SummaryJson::chunk).toList();
        m.put("chunks", list);
        return m;
    }

    private static Map<String, Object> chunk(ChunkRecorder.Chunk c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", c.index());
        m.put("worker", c.worker());
        m.put("frames", c.frames());
        m.put("startMillis", round(c.startMillis()));
        m.put("firstFrameMillis", round(c.firstFrameMillis()));
        m.put("lastFrameMillis", round(c.lastFrameMillis()));
        m.put("doneMillis", round(c.doneMillis()));
        m.put("planDownloadMillis", c.timings().planMillis());
        m.put("browserBootAndPageMillis", c.timings().browserBootMillis());
        m.put("captureMillis", c.timings().captureMillis());
        m.put("encodeMillis", c.timings().encodeMillis());
        m.put("totalMillis", c.timings().totalMillis());
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
