package dev.hfr.sfn;

import dev.hfr.engine.progress.ProgressStore;
import dev.hfr.local.testing.RealRenderFixture;
import dev.hfr.local.testing.WatchedSteps;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hf cancel} against the shipped state machine (activity form) on LocalStack with the real engine, doing
 * what the command does: ProgressStore.requestCancel, then StopExecution (error CANCELLED) when the cancel took
 * effect. A cancel while the last chunk renders stops it within a second and nothing is published; a cancel after
 * the assemble began is refused and the output is published exactly once.
 */
@Tag("integration")
class RealRenderCancelStepFunctionsTest {
    private static final Duration RENDER_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    static Path tmp;
    private static SfnRealRenderFixture f;

    @BeforeAll
    static void setUp() throws Exception {
        f = SfnRealRenderFixture.start("sfn-cancel", tmp);
    }

    private static String input(String render, int chunkSize, int maxParallel) {
        return """
                {"ProjectS3Uri":"%s","PlanOutputS3Prefix":"s3://%s/renders/%s","RenderId":"%s",\
                "OutputS3Uri":"s3://%s/outputs/%s.mp4","Config":{"fps":30,"format":"mp4","chunkSize":%d,"maxParallelChunks":%d}}"""
                .formatted(f.project(), f.bucket(), render, render, f.bucket(), render, chunkSize, maxParallel);
    }

    private static List<String> keys(String prefix) {
        return f.ls().s3().listObjectsV2Paginator(b -> b.bucket(f.bucket()).prefix(prefix)).contents().stream().map(o -> o.key()).toList();
    }

    /** What hf cancel does for an execution ARN; {@code effective[0]} gets the time the marker existed. */
    private static ProgressDocument cancel(String prefix, String renderId, String executionArn, long[] effective) {
        ProgressDocument after = new ProgressStore(f.engine().storage()).requestCancel(prefix, renderId, "test");
        effective[0] = System.nanoTime();
        if (after.status() == ProgressDocument.Status.CANCELLED
                && f.sfn().describeExecution(b -> b.executionArn(executionArn)).status() == ExecutionStatus.RUNNING) {
            f.sfn().stopExecution(b -> b.executionArn(executionArn).error("CANCELLED").cause("test"));
        }
        return after;
    }

    @Test
    void aCancelWhileTheLastChunkRendersStopsItWithinASecondAndNothingIsPublished() throws Exception {
        WatchedSteps steps = new WatchedSteps(f.engine());
        steps.watchedChunk = 1;
        String prefix = "s3://" + f.bucket() + "/renders/cancel";
        try (var harness = new ActivityRenderHarness(f.sfn(), steps.engine().dispatcher(), 2, 1)) {
            long start = System.nanoTime();
            String arn = harness.start(input("cancel", 30, 1));
            assertTrue(steps.watchedChunkStarted.await(RENDER_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "chunk 1 never started");
            long chunk0Millis = (steps.chunkEndNanos.get(0) - steps.chunkStartNanos.get(0)) / 1_000_000;
            // inside chunk 1, past its start: a twentieth of chunk 0, at most 250 ms, in. (A fifth, at most 1 s, once
            // came after chunk 1's end: on a loaded machine the cold chunk 0 took 3.7 s, the warm chunk 1 under 0.8 s.)
            LockSupport.parkNanos(Duration.ofMillis(Math.min(250, chunk0Millis / 20)).toNanos());
            long requested = System.nanoTime();
            long[] effective = new long[1];
            ProgressDocument after = cancel(prefix, "cancel", arn, effective);
            long t0 = effective[0]; // the cancel took effect when requestCancel returned: cancel.json exists
            assertEquals(ProgressDocument.Status.CANCELLED, after.status(), after::toString);

            var outcome = harness.await(arn, Duration.ofSeconds(30), start);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!steps.chunkEndNanos.containsKey(1) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            long stopMillis = steps.chunkEndedMillisAfter(1, t0);
            System.out.printf("sfn cancel: chunk 0 took %d ms; requestCancel took %d ms; chunk 1 stopped %d ms after it;"
                    + " execution %s%n", chunk0Millis, (t0 - requested) / 1_000_000, stopMillis, outcome.status());
            // The target is 1 s (a poll of 0.25 s, one HEAD, the frame in flight, browser and ffmpeg teardown); on the
            // shared 2-core test machine (load ~18) it measured 0.23-0.67 s, with outliers of 1.2 and 1.8 s, so the
            // test allows 2 s and prints the figure.
            assertTrue(stopMillis >= 0 && stopMillis <= 2000, "chunk 1 stopped " + stopMillis + " ms after the cancel");
            // the real step stopped mid-render (with INTERRUPTED, or STORAGE_ERROR when the interrupt hit an S3 call:
            // the wrapper around it turns either into INTERRUPTED, which is what the orchestration sees)
            RenderException stopped = assertInstanceOf(RenderException.class, steps.chunkFailures.get(1), "chunk 1 did not finish");
            assertTrue(stopped.code() == ErrorCode.INTERRUPTED || stopped.code() == ErrorCode.STORAGE_ERROR, stopped::toString);
            assertEquals(ExecutionStatus.ABORTED, outcome.status(), outcome::toString);

            assertEquals(2, steps.chunkCalls.get(), "no chunk runs after the cancel");
            assertEquals(0, steps.assembleCalls.get(), "no assemble runs after the cancel");
            assertEquals(List.of("renders/cancel/chunks/00000.mp4"),
                    keys("renders/cancel/chunks/").stream().filter(k -> k.endsWith(".mp4")).toList(),
                    "only chunk 0 (done before the cancel) was uploaded");
            assertEquals(List.of(), keys("outputs/cancel"), "no output is published");
            ProgressDocument doc = new ProgressStore(f.engine().storage()).read(prefix);
            assertEquals(ProgressDocument.Status.CANCELLED, doc.status(), doc::toString);
            assertEquals(1, doc.chunksDone(), doc::toString);
            assertTrue(f.engine().storage().exists(StorageUri.parse(RenderKeys.cancel(prefix))), "the cancel marker");
        }
    }

    @Test
    void aCancelAfterTheAssembleBeganIsRefusedAndTheOutputIsPublishedOnce() throws Exception {
        WatchedSteps steps = new WatchedSteps(f.engine());
        CountDownLatch release = new CountDownLatch(1);
        steps.assembleHold = release;
        String prefix = "s3://" + f.bucket() + "/renders/late";
        try (var harness = new ActivityRenderHarness(f.sfn(), steps.engine().dispatcher(), 2, 1)) {
            long start = System.nanoTime();
            String arn = harness.start(input("late", 30, 2));
            assertTrue(steps.assembleHeld.await(RENDER_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the assemble never started");
            ProgressDocument after = cancel(prefix, "late", arn, new long[1]);
            assertEquals(ProgressDocument.Status.ASSEMBLING, after.status(), "the cancel is refused: " + after);
            assertFalse(f.engine().storage().exists(StorageUri.parse(RenderKeys.cancel(prefix))), "no cancel marker");
            release.countDown();

            var outcome = harness.await(arn, RENDER_TIMEOUT, start);
            assertEquals(ExecutionStatus.SUCCEEDED, outcome.status(), outcome::toString);
            assertEquals(List.of("outputs/late.mp4"), keys("outputs/late"), "the output, once");
            assertEquals(1, steps.assembleCalls.get());
            ProgressDocument doc = new ProgressStore(f.engine().storage()).read(prefix);
            assertEquals(ProgressDocument.Status.SUCCEEDED, doc.status(), doc::toString);
            RealRenderFixture.assertMatchesReference(RealRenderFixture.referenceRender(tmp.resolve("reference")),
                    RealRenderFixture.download(f.ls(), "s3://" + f.bucket() + "/outputs/late.mp4", tmp.resolve("late.mp4")));
        }
    }
}
