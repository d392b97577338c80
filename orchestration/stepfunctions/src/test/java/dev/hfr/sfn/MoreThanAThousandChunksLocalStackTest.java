package dev.hfr.sfn;

import dev.hfr.storage.testing.LocalStack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import dev.hfr.model.Limits;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More chunks than a Map over the execution state could carry (States.ArrayRange stops at 1,000 items): the
 * shipped state machine (activity form) on LocalStack reads 2,000 chunk items from the plan's chunk list in S3
 * through the Distributed Map's ItemReader. The steps are scripted (no browser); the state machine, the
 * activities and S3 are real.
 */
@Tag("integration")
class TwoThousandChunksLocalStackTest {
    private static final int CHUNKS = 2000;
    private static final int PARALLEL = 40;

    @Test
    void everyOneOfTwoThousandChunksRunsExactlyOnceAndAssembleSeesThemAll() {
        LocalStack ls = LocalStack.require();
        String bucket = ls.createBucket("hfr-2000-chunks");
        var steps = new ScriptedSteps(CHUNKS, Duration.ZERO, ls.s3());
        String input = """
                {"ProjectS3Uri":"s3://%1$s/projects/p.tar.gz","PlanOutputS3Prefix":"s3://%1$s/renders/r2000/",\
                "OutputS3Uri":"s3://%1$s/outputs/r2000.mp4","Config":{"fps":30,"format":"mp4","maxParallelChunks":%2$d}}"""
                .formatted(bucket, PARALLEL);
        ActivityRenderHarness.Outcome outcome;
        try (var harness = new ActivityRenderHarness(ls.sfn(), steps.dispatcher(), PARALLEL, 1)) {
            outcome = harness.run(input, Duration.ofSeconds(150));
        }
        System.out.printf("2000-chunk render on LocalStack: %s in %d ms, at most %d chunks in flight%n",
                outcome.status(), outcome.wallClockMillis(), steps.maxInFlight.get());

        assertEquals(ExecutionStatus.SUCCEEDED, outcome.status(), outcome::toString);
        assertTrue(outcome.history().stream().anyMatch(h -> h.type() == HistoryEventType.MAP_RUN_STARTED),
                "the chunks must run in a Distributed Map run");
        assertEquals(CHUNKS, steps.renderChunkCalls.get(), "render-chunk calls");
        List<Integer> notOnce = IntStream.range(0, CHUNKS).filter(i -> steps.attemptsOf(i) != 1).boxed().toList();
        assertEquals(List.of(), notOnce, "chunks that did not run exactly once");
        assertEquals(List.of(IntStream.range(0, CHUNKS).boxed().toList()), steps.assembled,
                "one assemble, and it found all 2000 chunks");
        assertTrue(steps.maxInFlight.get() <= PARALLEL, "MaxConcurrency from the plan: saw " + steps.maxInFlight.get());
        assertTrue(outcome.output().contains("\"ChunkCount\":" + CHUNKS), outcome.output());
        // AWS fails a state whose input or output exceeds 256 KiB (LocalStack does not check): no state may carry
        // the chunks' list or their results at this size
        for (HistoryEvent h : outcome.history()) {
            String data = h.stateEnteredEventDetails() != null ? h.stateEnteredEventDetails().input()
                    : h.stateExitedEventDetails() != null ? h.stateExitedEventDetails().output() : null;
            int bytes = data == null ? 0 : data.getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= Limits.MAX_STATE_BYTES, h.type() + " #" + h.id() + " carries " + bytes + " bytes");
        }
    }
}
