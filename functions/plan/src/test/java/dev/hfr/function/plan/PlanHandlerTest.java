package dev.hfr.function.plan;

import dev.hfr.engine.Engine;
import dev.hfr.engine.Steps;
import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.function.runtime.LambdaErrors;
import dev.hfr.function.runtime.StepFailure;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanResult;
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

/** Feeds sample-events/plan*.json through the handler with scripted steps that record what they were given. */
class PlanHandlerTest {
    private final List<PlanEvent> received = new CopyOnWriteArrayList<>();
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

    private Engine engine(Steps.Plan script) {
        return new Engine(null, e -> {
            received.add(e);
            return script.plan(e);
        }, e -> {
            throw new AssertionError("render-chunk must not run in the plan function");
        }, e -> {
            throw new AssertionError("assemble must not run in the plan function");
        });
    }

    /** What the scripted plan step returns: derived from its event, so the assertions below prove the round trip. */
    static PlanResult planFrom(PlanEvent e) {
        return new PlanResult("plan", e.renderId() != null ? e.renderId() : "r-generated", "c0ffee".repeat(10) + "abcd",
                e.planOutputS3Prefix() + "plan/manifest.json", e.planOutputS3Prefix(), 4, 900,
                e.config().fps(), e.config().width(), e.config().height(), e.config().format(), false,
                "5.1.9", "0.1.0-SNAPSHOT", 1234, List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plan.json", "plan.sfn.json"})
    void sampleEventReachesThePlanStepAndItsResultComesBack(String file) throws Exception {
        PlanHandler handler = new PlanHandler(engine(PlanHandlerTest::planFrom));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(sample(file).getBytes(StandardCharsets.UTF_8)), out, null);

        assertEquals(1, received.size());
        PlanEvent e = received.get(0);
        // plan.sfn.json is what the Plan state sends ("Payload.$": "$"): the workflow input, no Action, no RenderId
        boolean direct = file.equals("plan.json");
        assertEquals(direct ? "plan" : null, e.action());
        assertEquals("s3://example-bucket/projects/sample.tar.gz", e.projectS3Uri());
        assertEquals("s3://example-bucket/renders/sample/", e.planOutputS3Prefix());
        assertEquals("s3://example-bucket/outputs/sample.mp4", e.outputS3Uri());
        assertEquals(direct ? "sample" : null, e.renderId());
        assertEquals(30, e.config().fps());
        assertEquals(1920, e.config().width());
        assertEquals(1080, e.config().height());
        assertEquals("mp4", e.config().format());
        assertEquals(240, e.config().chunkSize());
        assertEquals(8, e.config().maxParallelChunks());
        assertEquals("lambda", e.config().runtimeCap());

        @SuppressWarnings("unchecked")
        Map<String, Object> result = ObjectMapper.getDefault().readValue(out.toString(StandardCharsets.UTF_8), Map.class);
        assertEquals("plan", result.get("Action"));
        assertEquals("s3://example-bucket/renders/sample/plan/manifest.json", result.get("PlanManifestS3Uri"));
        assertEquals("c0ffee".repeat(10) + "abcd", result.get("PlanHash"));
        assertEquals(4, ((Number) result.get("ChunkCount")).intValue());
        assertEquals(900, ((Number) result.get("TotalFrames")).intValue());
        assertEquals(1920, ((Number) result.get("Width")).intValue());
        assertEquals(direct ? "sample" : "r-generated", result.get("RenderId"));
    }

    @Test
    void unknownActionIsReportedAsInvalidEvent() throws IOException {
        PlanHandler handler = new PlanHandler(engine(PlanHandlerTest::planFrom));
        String event = sample("plan.json").replace("\"Action\": \"plan\"", "\"Action\": \"explode\"");

        StepFailure f = assertThrows(StepFailure.class, () -> handler.handle(event));

        assertEquals("INVALID_EVENT", LambdaErrors.reportedErrorType(f));
        assertTrue(f.getMessage().contains("explode"), f.getMessage());
        assertTrue(received.isEmpty());
    }

    @Test
    void invalidConfigFromTheStepKeepsItsCode() throws IOException {
        PlanHandler handler = new PlanHandler(engine(e -> {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "Config.fps: got 121, expected an integer from 1 to 120");
        }));

        StepFailure f = assertThrows(StepFailure.class, () -> handler.handle(sample("plan.sfn.json")));

        assertEquals("INVALID_CONFIG", LambdaErrors.reportedErrorType(f));
        assertEquals("Config.fps: got 121, expected an integer from 1 to 120", f.getMessage());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("\"code\":\"INVALID_CONFIG\""));
    }
}
