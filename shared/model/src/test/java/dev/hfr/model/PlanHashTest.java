package dev.hfr.model;

import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PlanHashTest {

    static PlanManifest manifest(String ffmpeg, String htmlSha, Integer crf) {
        EncoderSettings enc = new EncoderSettings("libx264", "standard", "medium", crf, null, "yuv420p", "jpeg", 95, null);
        return new PlanManifest(PlanManifest.SCHEMA, null, "r1", "0.1.0", ffmpeg, "mp4",
                new CompositionInfo("main", 640, 360, 30, 2.0, 60, 0, 0), enc,
                ChunkSlicer.slice(60, 15, 16, null), false,
                List.of(new PlanArtifact("compiled/index.html", htmlSha, 100, null, false),
                        new PlanArtifact("__hfr/video/v0/000000.jpg", "b".repeat(64), 10, List.of(0, 1), false),
                        new PlanArtifact("audio.m4a", "e".repeat(64), 10, List.of(), true)),
                List.of());
    }

    @Test
    void hashIsStableAcrossSerialisation() throws Exception {
        PlanManifest m = manifest("5.1.9", "a".repeat(64), 18);
        String h = PlanHash.compute(m);
        PlanManifest hashed = m.withPlanHash(h);
        String json = ObjectMapper.getDefault().writeValueAsString(hashed);
        PlanManifest back = ObjectMapper.getDefault().readValue(json, PlanManifest.class);
        assertEquals(PlanHash.canonical(hashed), PlanHash.canonical(back));
        assertEquals(h, PlanHash.compute(back));
        // regression: serde dropped the empty chunk list of assembler-only artifacts, turning "none" into "all"
        assertEquals(List.of(), back.artifacts().get(2).chunks());
        assertEquals(null, back.artifacts().get(0).chunks());
        PlanHash.verify(back, h);
    }

    @Test
    void anyInputChangesTheHash() {
        String base = PlanHash.compute(manifest("5.1.9", "a".repeat(64), 18));
        assertNotEquals(base, PlanHash.compute(manifest("6.0", "a".repeat(64), 18)), "ffmpeg version");
        assertNotEquals(base, PlanHash.compute(manifest("5.1.9", "c".repeat(64), 18)), "artifact content");
        assertNotEquals(base, PlanHash.compute(manifest("5.1.9", "a".repeat(64), 20)), "encoder settings");
        assertEquals(64, base.length());
    }

    @Test
    void tamperedManifestIsPlanHashMismatch() {
        PlanManifest m = manifest("5.1.9", "a".repeat(64), 18);
        PlanManifest hashed = m.withPlanHash(PlanHash.compute(m));
        PlanManifest tampered = manifest("5.1.9", "d".repeat(64), 18).withPlanHash(hashed.planHash());
        RenderException e = assertThrows(RenderException.class, () -> PlanHash.verify(tampered, hashed.planHash()));
        assertEquals(ErrorCode.PLAN_HASH_MISMATCH, e.code());
        RenderException e2 = assertThrows(RenderException.class, () -> PlanHash.verify(hashed, "0".repeat(64)));
        assertEquals(ErrorCode.PLAN_HASH_MISMATCH, e2.code());
        assertEquals(false, e2.retryable());
    }

    @Test
    void canonicalJsonSortsKeysAndDropsNulls() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", "x\"y");
        m.put("n", null);
        m.put("c", List.of(1.5, 2.0));
        assertEquals("{\"a\":\"x\\\"y\",\"b\":1,\"c\":[1.5,2]}", CanonicalJson.write(m));
    }
}
