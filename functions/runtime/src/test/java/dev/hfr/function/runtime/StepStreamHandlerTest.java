package dev.hfr.function.runtime;

import org.junit.jupiter.api.Tag;

import dev.hfr.engine.Engine;
import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.Step;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler base wired the production way (Micronaut context, Engine bean) with a test Engine swapped in. */
@Tag("integration")
class StepStreamHandlerTest {
    static final List<PlanEvent> PLANNED = new CopyOnWriteArrayList<>();
    static ApplicationContext context;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

    /** Replaces the production Engine (which needs AWS) only in this test's "handler-test" environment. */
    @Factory
    @Requires(env = "handler-test")
    static class TestEngineFactory {
        @Singleton
        @Replaces(value = Engine.class, factory = EngineFactory.class)
        Engine engine() {
            return new Engine(null,
                    e -> {
                        PLANNED.add(e);
                        return new PlanResult("plan", e.renderId(), "ab".repeat(32), e.planOutputS3Prefix()
                                + "plan/manifest.json", e.planOutputS3Prefix(), 2, 60, 30, 640, 360, "mp4", false,
                                "5.1", "0.1.0", 12, null);
                    },
                    e -> new RenderChunkResult("renderChunk", "s3://b/c.mp4", e.chunkIndex(), "00", 1, "beginframe", 1),
                    e -> {
                        throw new IllegalStateException("boom in assemble");
                    });
        }
    }

    static class TestHandler extends StepStreamHandler {
        TestHandler(Step step, ApplicationContext ctx) {
            super(step, ctx);
        }
    }

    @BeforeAll
    static void start() {
        context = ApplicationContext.builder().deduceEnvironment(false).environments("handler-test").start();
        StepLog.redirect(new PrintStream(LOG, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        StepLog.redirect(System.err);
        context.close();
    }

    @Test
    void streamsAStepFunctionsWrappedEventThroughTheContextsEngine() throws Exception {
        TestHandler h = new TestHandler(Step.PLAN, context);
        String event = "{\"Payload\":{\"Action\":\"plan\",\"ProjectS3Uri\":\"s3://b/p.tar.gz\","
                + "\"PlanOutputS3Prefix\":\"s3://b/r/\",\"RenderId\":\"r1\"}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);

        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"PlanManifestS3Uri\":\"s3://b/r/plan/manifest.json\""), json);
        assertEquals("s3://b/p.tar.gz", PLANNED.get(PLANNED.size() - 1).projectS3Uri());
    }

    @Test
    void eventWithoutActionRunsTheFunctionsOwnStep() {
        TestHandler h = new TestHandler(Step.RENDER_CHUNK, context);
        String json = h.handle("{\"PlanManifestS3Uri\":\"s3://b/r/plan/manifest.json\",\"PlanHash\":\"ab\","
                + "\"ChunkIndex\":7,\"ChunkOutputS3Prefix\":\"s3://b/r/\"}");
        assertTrue(json.contains("\"ChunkIndex\":7"), json);
    }

    @Test
    void actionOfAnotherStepIsInvalidEvent() {
        TestHandler h = new TestHandler(Step.PLAN, context);
        StepFailure f = assertThrows(StepFailure.class, () -> h.handle("{\"Action\":\"assemble\"}"));
        assertEquals("INVALID_EVENT", LambdaErrors.reportedErrorType(f));
        assertTrue(f.getMessage().contains("\"assemble\""), f.getMessage());
    }

    @Test
    void malformedJsonIsInvalidEvent() {
        TestHandler h = new TestHandler(Step.PLAN, context);
        StepFailure f = assertThrows(StepFailure.class, () -> h.handle("{\"Action\":"));
        assertEquals("INVALID_EVENT", LambdaErrors.reportedErrorType(f));
    }

    @Test
    void programmingErrorInAStepIsNotRetriedAndLogged() {
        TestHandler h = new TestHandler(Step.ASSEMBLE, context);
        int before = LOG.size();
        StepFailure f = assertThrows(StepFailure.class, () -> h.handle("{\"Action\":\"assemble\","
                + "\"PlanManifestS3Uri\":\"s3://b/r/plan/manifest.json\",\"PlanHash\":\"ab\",\"OutputS3Uri\":\"s3://b/o.mp4\"}"));
        assertEquals("PROGRAMMING_ERROR", LambdaErrors.reportedErrorType(f));
        assertTrue(f.getMessage().contains("boom in assemble"), f.getMessage());
        String log = LOG.toString(StandardCharsets.UTF_8).substring(before);
        assertTrue(log.contains("\"event\":\"step_failed\"") && log.contains("\"code\":\"PROGRAMMING_ERROR\""), log);
    }

    @Test
    void anSqsBatchIsRefusedNamingTheSqsModesHandlers() {
        TestHandler h = new TestHandler(Step.RENDER_CHUNK, context);
        StepFailure f = assertThrows(StepFailure.class,
                () -> h.handle("{\"Records\":[{\"messageId\":\"m1\",\"body\":\"{}\"}]}"));
        assertEquals("INVALID_EVENT", LambdaErrors.reportedErrorType(f));
        assertTrue(f.getMessage().contains("dev.hfr.sqs.lambda"), f.getMessage());
    }
}
