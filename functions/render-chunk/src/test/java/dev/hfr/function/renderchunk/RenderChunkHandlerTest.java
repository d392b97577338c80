package dev.hfr.function.renderchunk;

import dev.hfr.engine.Engine;
import dev.hfr.engine.Steps;
import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.function.runtime.LambdaErrors;
import dev.hfr.function.runtime.StepFailure;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderException;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feeds sample-events/render-chunk*.json through the handler with a scripted render-chunk step. */
class RenderChunkHandlerTest {
    private static final String HASH = "3f1c9a0d5b7e2f4a6c8d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d";
    private final List<RenderChunkEvent> received = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void quietLog() {
        StepLog.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        StepLog.redirect(System.err);
    }

    static String sample(String name) throws IOException {
        return Files.readString(Path.of(System.getProperty("hfr.repo.root", "../.."), "sample-events", name));
    }

    private Engine engine(Steps.RenderChunk step) {
        return new Engine(null, e -> {
            throw new AssertionError("plan must not run in the render-chunk function");
        }, e -> {
            received.add(e);
            return step.renderChunk(e);
        }, e -> {
            throw new AssertionError("assemble must not run in the render-chunk function");
        });
    }

    /** A realistic worst case: long prefix, 64-hex sha256, every field set. */
    static RenderChunkResult chunkFrom(RenderChunkEvent e) {
        return new RenderChunkResult("renderChunk",
                e.chunkOutputS3Prefix() + "chunks/" + String.format("%05d", e.chunkIndex()) + "." + e.format(),
                e.chunkIndex(), "9".repeat(64), 240, "beginframe", 48_213);
    }

    @ParameterizedTest
    @ValueSource(strings = {"render-chunk.json", "render-chunk.sfn.json"})
    void sampleEventReachesTheStepAndTheResultStaysSmall(String file) throws Exception {
        RenderChunkHandler handler = new RenderChunkHandler(engine(RenderChunkHandlerTest::chunkFrom));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(sample(file).getBytes(StandardCharsets.UTF_8)), out, null);

        RenderChunkEvent e = received.get(0);
        assertEquals("renderChunk", e.action());
        assertEquals("s3://example-bucket/renders/sample/plan/manifest.json", e.planManifestS3Uri());
        assertEquals(HASH, e.planHash());
        assertEquals(3, e.chunkIndex());
        assertEquals("s3://example-bucket/renders/sample/", e.chunkOutputS3Prefix());
        assertEquals("mp4", e.format());
        assertEquals("sample", e.renderId());

        byte[] bytes = out.toByteArray();
        assertTrue(bytes.length < 1024, "renderChunk result is " + bytes.length + " bytes: " + out);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = ObjectMapper.getDefault().readValue(bytes, Map.class);
        assertEquals("s3://example-bucket/renders/sample/chunks/00003.mp4", result.get("ChunkS3Uri"));
        assertEquals(3, ((Number) result.get("ChunkIndex")).intValue());
        assertEquals("9".repeat(64), result.get("Sha256"));
        assertEquals(240, ((Number) result.get("FramesEncoded")).intValue());
        assertEquals("beginframe", result.get("CaptureMode"));
    }

    @Test
    void planHashMismatchReachesStepFunctionsUnderItsCode() throws IOException {
        RenderChunkHandler handler = new RenderChunkHandler(engine(e -> {
            throw new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "PlanHash " + e.planHash()
                    + " differs from the manifest's 0000");
        }));

        StepFailure f = assertThrows(StepFailure.class, () -> handler.handle(sample("render-chunk.sfn.json")));

        assertEquals("PLAN_HASH_MISMATCH", LambdaErrors.reportedErrorType(f));
        assertEquals("PlanHash " + HASH + " differs from the manifest's 0000", f.getMessage());
        assertEquals(ErrorCode.PLAN_HASH_MISMATCH, f.code());
        String line = log.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("\"code\":\"PLAN_HASH_MISMATCH\"") && line.contains("\"chunk\":3"), line);
    }

    @Test
    void unknownActionIsReportedAsInvalidEvent() throws IOException {
        RenderChunkHandler handler = new RenderChunkHandler(engine(RenderChunkHandlerTest::chunkFrom));
        String event = sample("render-chunk.json").replace("\"renderChunk\"", "\"renderFrame\"");

        StepFailure f = assertThrows(StepFailure.class, () -> handler.handle(event));

        assertEquals("INVALID_EVENT", LambdaErrors.reportedErrorType(f));
        assertTrue(received.isEmpty());
    }

    @Test
    void missingChunkIndexIsInvalidEvent() throws IOException {
        RenderChunkHandler handler = new RenderChunkHandler(engine(RenderChunkHandlerTest::chunkFrom));
        String event = sample("render-chunk.json").replace("\"ChunkIndex\": 3,", "\"ChunkIndex\": \"three\",");

        StepFailure f = assertThrows(StepFailure.class, () -> handler.handle(event));

        assertEquals("INVALID_EVENT", LambdaErrors.reportedErrorType(f));
        assertTrue(received.isEmpty());
    }
}
