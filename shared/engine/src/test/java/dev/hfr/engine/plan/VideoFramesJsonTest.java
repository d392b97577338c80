package dev.hfr.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hfr.model.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** __hfr/videos.json as hfr-runtime.js reads it: id to {start, duration, frameCount, pattern}, in probe order. */
class VideoFramesJsonTest {
    @Test
    void videosJsonHasTheFieldsThePageRuntimeReads() {
        Map<String, PlanService.VideoFrames> videos = new LinkedHashMap<>();
        videos.put("hfr-v2", new PlanService.VideoFrames(1.5, 2.0, 60, "__hfr/video/hfr-v2/%06d.jpg"));
        videos.put("hfr-v1", new PlanService.VideoFrames(0, 0.5, 15, "__hfr/video/hfr-v1/%06d.jpg"));
        assertEquals("{\"hfr-v2\":{\"start\":1.5,\"duration\":2.0,\"frameCount\":60,\"pattern\":\"__hfr/video/hfr-v2/%06d.jpg\"},"
                + "\"hfr-v1\":{\"start\":0.0,\"duration\":0.5,\"frameCount\":15,\"pattern\":\"__hfr/video/hfr-v1/%06d.jpg\"}}",
                Json.write(videos));
    }
}
