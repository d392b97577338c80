package dev.hfr.sfn;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import dev.hfr.storage.testing.LocalStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped state machine (activity form of the same definition) on LocalStack, with workers in this JVM
 * running scripted steps. Each test builds its own activities and state machine. LocalStack.require() reuses the
 * instance on 127.0.0.1:4566 or starts one with scripts/localstack.sh.
 */
@Tag("integration")
class ActivityRenderLocalStackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String PROJECT = "s3://hfr-test/projects/p1.tar.gz";
    private static SfnClient sfn;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void connect() {
        LocalStack ls = LocalStack.require();
        sfn = ls.sfn();
        s3 = ls.s3();
        bucket = ls.createBucket("hfr-sfn-test"); // the plan's chunk list lives in it (the Map's ItemReader)
    }

    private static ScriptedSteps steps(int chunks, Duration chunkWork) {
        return new ScriptedSteps(chunks, chunkWork, s3);
    }

    private static String input(String configJson) {
        return """
                {"ProjectS3Uri":"%s","PlanOutputS3Prefix":"s3://%s/renders/r1/",\
                "OutputS3Uri":"s3://hfr-test/out/r1.mp4","Config":%s}""".formatted(PROJECT, bucket, configJson);
    }

    private static ActivityRenderHarness.Outcome render(ScriptedSteps steps, int chunkThreads, String configJson) {
        try (var harness = new ActivityRenderHarness(sfn, steps.dispatcher(), chunkThreads, 1)) {
            return harness.run(input(configJson), TIMEOUT);
        }
    }

    private static List<Integer> allChunks(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void happyPathRendersEveryChunkAndAssemblesThemInOrder() {
        var steps = steps(5, Duration.ofMillis(100));
        var outcome = render(steps, 5, "{\"fps\":30,\"format\":\"mp4\"}");

        assertEquals(ExecutionStatus.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals(List.of(allChunks(5)), steps.assembled, "assemble must find all 5 chunks");
        IntStream.range(0, 5).forEach(i -> assertEquals(1, steps.attemptsOf(i), "chunk " + i));
        assertTrue(outcome.output().contains("\"ChunkCount\":5"), outcome.output());
        assertTrue(outcome.output().contains("\"OutputS3Uri\":\"s3://hfr-test/out/r1.mp4\""), outcome.output());
    }

    @Test
    void maxParallelChunksBoundsTheChunksInFlight() {
        var steps = steps(6, Duration.ofMillis(1500));
        var outcome = render(steps, 6, "{\"fps\":30,\"format\":\"mp4\",\"maxParallelChunks\":2}");

        assertEquals(ExecutionStatus.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals(6, steps.renderChunkCalls.get());
        assertTrue(steps.maxInFlight.get() <= 2, "at most 2 renderChunk calls at once, saw " + steps.maxInFlight.get());
        assertEquals(2, steps.maxInFlight.get(), "6 workers were free: the map should have used both slots");
    }

    @Test
    void transientChunkFailureIsRetriedAndTheRenderSucceeds() {
        var steps = steps(5, Duration.ofMillis(50));
        steps.chunkFailure = (index, attempt) -> index == 3 && attempt == 1
                ? new RenderException(ErrorCode.BROWSER_CRASHED, "chromium exited with signal 9") : null;
        var outcome = render(steps, 5, "{\"fps\":30,\"format\":\"mp4\"}");

        assertEquals(ExecutionStatus.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals(2, steps.attemptsOf(3), "chunk 3: one failed attempt, one retry");
        IntStream.of(0, 1, 2, 4).forEach(i -> assertEquals(1, steps.attemptsOf(i), "chunk " + i));
        assertEquals(List.of(allChunks(5)), steps.assembled);
    }

    @Test
    void planHashMismatchFailsTheRenderWithoutRetry() {
        var steps = steps(4, Duration.ofMillis(50));
        steps.chunkFailure = (index, attempt) -> index == 2
                ? new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "plan on storage has hash bbbb") : null;
        var outcome = render(steps, 4, "{\"fps\":30,\"format\":\"mp4\"}");

        assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
        assertEquals("PLAN_HASH_MISMATCH", outcome.error());
        assertTrue(outcome.cause().contains("chunk 2") && outcome.cause().contains("hash bbbb"), outcome.cause());
        assertEquals(1, steps.attemptsOf(2), "a non-retryable error must not be retried");
        assertEquals(0, steps.assembleCalls.get());
    }

    @Test
    void projectNotFoundFailsAtPlanNamingTheProject() {
        var steps = steps(4, Duration.ofMillis(50));
        steps.planFailure = e -> new RenderException(ErrorCode.PROJECT_NOT_FOUND,
                "project archive " + e.projectS3Uri() + " does not exist");
        var outcome = render(steps, 2, "{\"fps\":30,\"format\":\"mp4\"}");

        assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
        assertEquals("PROJECT_NOT_FOUND", outcome.error());
        assertTrue(outcome.cause().contains(PROJECT), outcome.cause());
        assertEquals(1, steps.planCalls.get(), "not retried");
        assertEquals(0, steps.renderChunkCalls.get());
    }

    @Test
    void zeroChunksFailsFastWithoutRenderingAnything() {
        var steps = steps(0, Duration.ofMillis(50));
        var outcome = render(steps, 2, "{\"fps\":30,\"format\":\"mp4\"}");

        assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
        assertEquals("PLAN_TOO_LARGE", outcome.error());
        assertTrue(outcome.cause().contains("ChunkCount 0"), outcome.cause());
        assertEquals(0, steps.renderChunkCalls.get());
        assertTrue(outcome.history().stream().noneMatch(h -> h.type() == HistoryEventType.MAP_RUN_STARTED),
                "no map run may start");
    }

    @Test
    void invalidConfigListsEveryBadField() {
        var steps = steps(4, Duration.ofMillis(50));
        var outcome = render(steps, 2,
                "{\"fps\":121,\"width\":15,\"format\":\"avi\",\"maxParallelChunks\":999}");

        assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
        assertEquals("INVALID_CONFIG", outcome.error());
        for (String field : List.of("fps", "width", "format", "maxParallelChunks")) {
            assertTrue(outcome.cause().contains(field + ":"), field + " missing from " + outcome.cause());
        }
        assertEquals(1, steps.planCalls.get());
        assertEquals(0, steps.renderChunkCalls.get());
    }

    @Test
    void aChunkThatReportsSuccessButLeftNothingFailsAtAssemble() {
        // The map's result is not trusted for completeness (LocalStack drops failed items silently, and the item
        // results carry no chunk list any more): assemble checks every chunk of the plan and names the missing one.
        var steps = steps(5, Duration.ofMillis(50));
        steps.dropChunkUri = i -> i == 1;
        var outcome = render(steps, 5, "{\"fps\":30,\"format\":\"mp4\"}");

        assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
        assertEquals("CHUNKS_INCOMPLETE", outcome.error(), outcome::toString);
        assertTrue(outcome.cause().contains("chunk 1 is missing"), outcome.cause());
        assertEquals(1, steps.assembleCalls.get(), "CHUNKS_INCOMPLETE is not retried");
    }

    @Test
    void heartbeatsKeepALongChunkAlive() {
        // HeartbeatSeconds 2 with 4 s chunks: without the worker's 1 s heartbeats the task would time out
        var steps = steps(2, Duration.ofSeconds(4));
        StateMachineDefinition definition = StateMachineDefinition.load().withRetryIntervalSeconds(1)
                .withHeartbeatSeconds("RenderChunk", 2);
        var dispatcher = steps.dispatcher();
        try (var harness = new ActivityRenderHarness(sfn, definition, a -> {
            var options = new ActivityWorker.Options(2, "heartbeat-test", Duration.ofSeconds(1));
            List<ActivityWorker> workers = List.of(
                    new ActivityWorker(sfn, a.planArn(), Step.PLAN, dispatcher, ActivityWorker.Options.threads(1)),
                    new ActivityWorker(sfn, a.renderChunkArn(), Step.RENDER_CHUNK, dispatcher, options),
                    new ActivityWorker(sfn, a.assembleArn(), Step.ASSEMBLE, dispatcher, ActivityWorker.Options.threads(1)));
            workers.forEach(ActivityWorker::start);
            return workers;
        })) {
            var outcome = harness.run(input("{\"fps\":30,\"format\":\"mp4\"}"), TIMEOUT);
            assertEquals(ExecutionStatus.SUCCEEDED, outcome.status(), outcome::toString);
            IntStream.range(0, 2).forEach(i -> assertEquals(1, steps.attemptsOf(i), "chunk " + i + " timed out and was retried"));
        }
    }

    @Test
    void stopEndsIdleLongPollsPromptly() throws Exception {
        var steps = steps(1, Duration.ofMillis(10));
        String arn = sfn.createActivity(b -> b.name("hfr-test-idle-" + java.util.UUID.randomUUID().toString()
                .substring(0, 8))).activityArn();
        var worker = new ActivityWorker(sfn, arn, Step.RENDER_CHUNK, steps.dispatcher(), ActivityWorker.Options.threads(3))
                .start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (worker.pollingThreads() < 3 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            assertEquals(3, worker.pollingThreads(), "all three threads should be in GetActivityTask");
            long t0 = System.nanoTime();
            worker.stop();
            assertTrue(worker.awaitTermination(Duration.ofSeconds(10)),
                    "an idle 60 s long poll must not hold stop() up");
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10);
            assertEquals(0, steps.renderChunkCalls.get());
        } finally {
            worker.stop();
            sfn.deleteActivity(b -> b.activityArn(arn));
        }
    }

    @Test
    void silentWorkerTimesOutAsTimeout() {
        // Plan with HeartbeatSeconds 1 and a 3 s plan step whose worker sends no heartbeats: each attempt times out
        // (LocalStack: States.Timeout; AWS: States.HeartbeatTimeout) and ClassifyFailure reports TIMEOUT.
        var steps = steps(2, Duration.ofMillis(10));
        steps.planWork = Duration.ofSeconds(3);
        Map<String, Object> root = StateMachineDefinition.parse(StateMachineDefinition.load()
                .withRetryIntervalSeconds(1).withHeartbeatSeconds("Plan", 1).raw());
        Map<String, Object> plan = StateMachineDefinition.map(StateMachineDefinition.map(root.get("States")).get("Plan"));
        StateMachineDefinition.map(((List<?>) plan.get("Retry")).get(1)).put("MaxAttempts", 1); // keep the test short
        var definition = StateMachineDefinition.of(StateMachineDefinition.write(root));
        var dispatcher = steps.dispatcher();
        try (var harness = new ActivityRenderHarness(sfn, definition, a -> {
            List<ActivityWorker> workers = List.of(
                    new ActivityWorker(sfn, a.planArn(), Step.PLAN, dispatcher, ActivityWorker.Options.threads(2)),
                    new ActivityWorker(sfn, a.renderChunkArn(), Step.RENDER_CHUNK, dispatcher, ActivityWorker.Options.threads(1)),
                    new ActivityWorker(sfn, a.assembleArn(), Step.ASSEMBLE, dispatcher, ActivityWorker.Options.threads(1)));
            workers.forEach(ActivityWorker::start);
            return workers;
        })) {
            var outcome = harness.run(input("{\"fps\":30,\"format\":\"mp4\"}"), TIMEOUT);
            assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
            assertEquals("TIMEOUT", outcome.error(), outcome::toString);
            assertTrue(outcome.cause().startsWith("States."), outcome.cause());
            assertEquals(2, steps.planCalls.get(), "one attempt and the one retry this test allows");
            assertEquals(0, steps.renderChunkCalls.get());
        }
    }
}
