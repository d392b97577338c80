package dev.hfr.sfn;

import org.junit.jupiter.api.Tag;

import dev.hfr.local.testing.RealRenderFixture;
import dev.hfr.ffmpeg.PsnrResult;
import dev.hfr.engine.progress.ProgressStore;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

import static dev.hfr.local.testing.RealRenderFixture.assertMatchesReference;
import static dev.hfr.local.testing.RealRenderFixture.download;
import static dev.hfr.local.testing.RealRenderFixture.exists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped state machine (activity form) on LocalStack driving the REAL engine: Chromium captures the
 * examples/hello composition, ffmpeg encodes and assembles, all storage goes through RoutingStorage limited to the
 * test bucket. Outputs are checked against a local single-pass render of the same fixture.
 */
@Tag("integration")
class RealRenderStepFunctionsTest {
    private static final Duration RENDER_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(90);
    private static final int CHUNK_THREADS = 2;

    @TempDir
    static Path tmp;
    private static SfnRealRenderFixture f;
    private static Path reference;

    @BeforeAll
    static void setUp() throws Exception {
        f = SfnRealRenderFixture.start("sfn-real", tmp);
        reference = RealRenderFixture.referenceRender(tmp.resolve("reference"));
    }

    private static String input(String projectUri, String render, String outputUri, int chunkSize, int maxParallel) {
        return """
                {"ProjectS3Uri":"%s","PlanOutputS3Prefix":"s3://%s/renders/%s",\
                "OutputS3Uri":"%s","Config":{"fps":30,"format":"mp4","chunkSize":%d,"maxParallelChunks":%d}}"""
                .formatted(projectUri, f.bucket(), render, outputUri, chunkSize, maxParallel);
    }

    private static String output(String render) {
        return "s3://" + f.bucket() + "/outputs/" + render + ".mp4";
    }

    private static ActivityRenderHarness.Outcome run(RealStepsProbe probe, String inputJson, Duration timeout) {
        try (var harness = new ActivityRenderHarness(f.sfn(), probe.dispatcher(), CHUNK_THREADS, 1)) {
            return harness.run(inputJson, timeout);
        }
    }

    @Test
    void rendersTheFixtureEndToEndAndMatchesTheSinglePassRender() throws Exception {
        var probe = new RealStepsProbe(f.engine());
        var outcome = run(probe, input(f.project(), "e2e", output("e2e"), 15, 4), RENDER_TIMEOUT);

        assertEquals(ExecutionStatus.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals(4, probe.lastPlan.chunkCount(), "60 frames in chunks of 15");
        assertEquals(60, probe.lastPlan.totalFrames());
        IntStream.range(0, 4).forEach(i -> assertEquals(1, probe.attemptsOf(i), "attempts of chunk " + i));
        assertEquals(1, probe.assembleCalls.get());
        assertTrue(outcome.output().contains("\"OutputS3Uri\":\"" + output("e2e") + "\""), outcome.output());
        Path video = download(f.ls(), output("e2e"), tmp.resolve("e2e.mp4"));
        PsnrResult p = assertMatchesReference(reference, video);

        // the progress document the steps kept, as hf progress reads it
        ProgressDocument doc = new ProgressStore(f.engine().storage()).read("s3://" + f.bucket() + "/renders/e2e");
        assertNotNull(doc, "no progress document under renders/e2e");
        assertEquals(ProgressDocument.Status.SUCCEEDED, doc.status());
        assertEquals(60, doc.framesTotal());
        assertEquals(60, doc.framesDone());
        assertEquals(4, doc.chunkCount());
        assertEquals(4, doc.chunksDone());
        assertTrue(doc.chunks().stream().allMatch(c -> c.done() && c.attempts() == 1 && c.frames() == 15), doc.chunks()::toString);
        assertEquals(output("e2e"), doc.outputUri());
        assertNotNull(doc.captureMode());
        assertTrue(doc.timingsMs().keySet().containsAll(java.util.List.of("plan", "render", "assemble")), doc.timingsMs()::toString);
        assertTrue(doc.errors().isEmpty(), doc.errors()::toString);
        RealRenderFixture.assertStillsShow(f.ls(), doc, "s3://" + f.bucket() + "/renders/e2e", video, tmp.resolve("e2e-stills"));
        System.out.printf("sfn e2e: %d ms wall clock, PSNR %s%n", outcome.wallClockMillis(), p);
    }

    @Test
    void browserCrashInOneChunkIsRetriedAndTheOutputIsStillCorrect() {
        var probe = new RealStepsProbe(f.engine());
        probe.chunkFailure = (index, attempt) -> index == 1 && attempt == 1
                ? new RenderException(ErrorCode.BROWSER_CRASHED, "injected: chromium exited with signal 9") : null;
        var outcome = run(probe, input(f.project(), "crash", output("crash"), 30, 4), RENDER_TIMEOUT);

        assertEquals(ExecutionStatus.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals(2, probe.attemptsOf(1), "chunk 1: the crashed attempt and one retry");
        assertEquals(1, probe.attemptsOf(0), "chunk 0 must not be re-rendered");
        assertEquals(1, probe.assembleCalls.get());
        assertMatchesReference(reference, download(f.ls(), output("crash"), tmp.resolve("crash.mp4")));
    }

    @Test
    void stalePlanHashFailsTheRenderWithPlanHashMismatchAfterOneAttempt() {
        String stale = "0".repeat(64);
        var probe = new RealStepsProbe(f.engine());
        // the real step reads the manifest Plan wrote and must refuse an event that was scheduled for another plan
        probe.chunkEvent = e -> e.chunkIndex() != 0 ? e : new RenderChunkEvent(e.action(), e.planManifestS3Uri(), stale,
                e.chunkIndex(), e.chunkOutputS3Prefix(), e.format(), e.renderId());
        var outcome = run(probe, input(f.project(), "stale", output("stale"), 30, 2), FAILURE_TIMEOUT);

        assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
        assertEquals("PLAN_HASH_MISMATCH", outcome.error(), outcome::toString);
        assertNotNull(probe.lastPlan);
        assertTrue(outcome.cause().startsWith("chunk 0: "), outcome.cause());
        assertTrue(outcome.cause().contains(stale) && outcome.cause().contains(probe.lastPlan.planHash()),
                "the cause names both hashes: " + outcome.cause());
        assertEquals(1, probe.attemptsOf(0), "PLAN_HASH_MISMATCH is not retryable");
        // by design the map catches a failed chunk inside its item, so the other chunk still runs (once)
        assertEquals(1, probe.attemptsOf(1), "chunk 1");
        assertEquals(0, probe.assembleCalls.get());
        assertFalse(exists(f.ls(), output("stale")), "no output may be published");
        ProgressDocument doc = new ProgressStore(f.engine().storage()).read("s3://" + f.bucket() + "/renders/stale");
        assertEquals(ProgressDocument.Status.FAILED, doc.status(), doc::toString);
        assertEquals("PLAN_HASH_MISMATCH", doc.failure().code());
        assertEquals(0, doc.failure().chunk());
        assertEquals("renderChunk", doc.failure().step());
    }

    @Test
    void manifestAlteredAfterPlanFailsWithPlanHashMismatchAndNoRetry() {
        var probe = new RealStepsProbe(f.engine());
        // overwrite the manifest between Plan and RenderChunk: same PlanHash field, different encoder settings
        probe.afterPlan = r -> {
            StorageUri manifest = StorageUri.parse(r.planManifestS3Uri());
            String json = new String(f.engine().storage().read(manifest), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"crf\":18"), "fixture plan uses crf 18: " + json);
            f.engine().storage().write(manifest, json.replace("\"crf\":18", "\"crf\":51").getBytes(StandardCharsets.UTF_8));
        };
        var outcome = run(probe, input(f.project(), "altered", output("altered"), 30, 2), FAILURE_TIMEOUT);

        assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
        assertEquals("PLAN_HASH_MISMATCH", outcome.error(), outcome::toString);
        assertTrue(outcome.cause().contains("records planHash " + probe.lastPlan.planHash()), outcome.cause());
        IntStream.range(0, 2).forEach(i -> assertEquals(1, probe.attemptsOf(i), "attempts of chunk " + i));
        assertEquals(0, probe.assembleCalls.get());
        assertFalse(exists(f.ls(), output("altered")), "no output may be published");
    }

    @Test
    void missingProjectFailsAtPlanNamingTheUri() {
        String missing = "s3://" + f.bucket() + "/projects/does-not-exist.tar.gz";
        var probe = new RealStepsProbe(f.engine());
        var outcome = run(probe, input(missing, "missing", output("missing"), 15, 4), FAILURE_TIMEOUT);

        assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
        assertEquals("PROJECT_NOT_FOUND", outcome.error(), outcome::toString);
        assertTrue(outcome.cause().contains(missing), outcome.cause());
        assertEquals(1, probe.planCalls.get(), "PROJECT_NOT_FOUND is not retryable");
        assertEquals(0, probe.renderChunkCalls.get());
    }

    @Test
    void outputInAnotherBucketIsRefusedBeforeAnyChunkRenders() {
        String foreign = "s3://not-" + f.bucket() + "/outputs/x.mp4";
        var probe = new RealStepsProbe(f.engine());
        var outcome = run(probe, input(f.project(), "foreign", foreign, 15, 4), FAILURE_TIMEOUT);

        assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
        assertEquals("S3_URI_NOT_ALLOWED", outcome.error(), outcome::toString);
        assertTrue(outcome.cause().contains(foreign) && outcome.cause().contains("render bucket " + f.bucket()), outcome.cause());
        // the engine's event checks run before the plan step itself (ProgressSteps writes nothing next to a refused URI)
        assertEquals(0, probe.planCalls.get(), "the refused event must not reach the plan step");
        assertEquals(0, probe.renderChunkCalls.get(), "no chunk may render for a refused output");
    }
}
