package dev.hfr.engine.dispatch;

import dev.hfr.model.AssembleResult;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepDispatcherTest {
    private final AtomicReference<RenderChunkEvent> seen = new AtomicReference<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private StepDispatcher dispatcher(RuntimeException chunkFailure) {
        StepLog.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        return new StepDispatcher(
                e -> new PlanResult("plan", "r1", "h", "m", "p", 1, 1, 30, 16, 16, "mp4", false, "f", "e", 1, null),
                e -> {
                    seen.set(e);
                    if (chunkFailure != null) {
                        throw chunkFailure;
                    }
                    return new RenderChunkResult("renderChunk", "s3://b/c/00002.mp4", e.chunkIndex(), "sha", 15, "beginframe", 9);
                },
                e -> new AssembleResult("assemble", e.outputS3Uri(), 60, 1000, 5));
    }

    @AfterEach
    void restore() {
        StepLog.redirect(System.err);
    }

    @Test
    void runsTheNamedStepOnItsBareEvent() throws Exception {
        String event = "{\"Action\":\"renderChunk\",\"PlanManifestS3Uri\":\"s3://b/p/plan/manifest.json\","
                + "\"PlanHash\":\"abc\",\"ChunkIndex\":2,\"ChunkOutputS3Prefix\":\"s3://b/p\",\"RenderId\":\"r9\"}";
        String out = dispatcher(null).dispatch(Step.RENDER_CHUNK, event);
        assertEquals(2, seen.get().chunkIndex());
        assertEquals("abc", seen.get().planHash());
        Map<?, ?> result = ObjectMapper.getDefault().readValue(out, Map.class);
        assertEquals("s3://b/c/00002.mp4", result.get("ChunkS3Uri"));
        assertTrue(out.length() < 1024, "result stays small: " + out.length());
    }

    @Test
    void malformedEventIsAnInvalidEvent() {
        RenderException e = assertThrows(RenderException.class, () -> dispatcher(null).dispatch(Step.PLAN, "not json"));
        assertEquals(ErrorCode.INVALID_EVENT, e.code());
        assertTrue(e.getMessage().contains("PlanEvent"), e.getMessage());
    }

    @Test
    void failuresKeepTheirCodeAndLogOneJsonLine() throws Exception {
        StepDispatcher d = dispatcher(new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "plan \"changed\"\nline 2"));
        RenderException e = assertThrows(RenderException.class, () -> d.dispatch(Step.RENDER_CHUNK,
                "{\"PlanManifestS3Uri\":\"s3://b/p/plan/manifest.json\",\"PlanHash\":\"x\",\"ChunkIndex\":4,"
                        + "\"ChunkOutputS3Prefix\":\"s3://b/p\",\"RenderId\":\"r7\"}"));
        assertEquals(ErrorCode.PLAN_HASH_MISMATCH, e.code());
        String line = log.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, line.lines().count(), line);
        Map<?, ?> json = ObjectMapper.getDefault().readValue(line, Map.class);
        assertEquals("step_failed", json.get("event"));
        assertEquals("renderChunk", json.get("step"));
        assertEquals("r7", json.get("renderId"));
        assertEquals(4, ((Number) json.get("chunk")).intValue());
        assertEquals("PLAN_HASH_MISMATCH", json.get("code"));
        assertEquals("plan \"changed\"\nline 2 (see docs/errors.md#plan-hash-mismatch)", json.get("message"));
    }

    @Test
    void programmingErrorsAreNotRetried() {
        RenderException e = assertThrows(RenderException.class, () -> dispatcher(new IllegalStateException("boom"))
                .dispatch(Step.RENDER_CHUNK, CHUNK_EVENT));
        assertEquals(ErrorCode.PROGRAMMING_ERROR, e.code());
        assertFalse(e.retryable());
    }

    @Test
    void otherUnexpectedExceptionsBecomeRetriedInternalErrors() {
        RenderException e = assertThrows(RenderException.class, () -> dispatcher(new RuntimeException("boom"))
                .dispatch(Step.RENDER_CHUNK, CHUNK_EVENT));
        assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
        assertTrue(e.retryable());
    }

    private static final String CHUNK_EVENT = "{\"PlanManifestS3Uri\":\"s3://b/p/plan/manifest.json\",\"PlanHash\":\"x\","
            + "\"ChunkIndex\":0,\"ChunkOutputS3Prefix\":\"s3://b/p\"}";
}
