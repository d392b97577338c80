package dev.hfr.sfn;

import dev.hfr.engine.progress.ProgressStore;
import dev.hfr.local.testing.WatchedSteps;
import dev.hfr.local.testing.WebhookListener;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderChunkEvent;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks of real renders under the shipped state machine (activity form) on LocalStack: a listener on 127.0.0.1
 * checks every call's X-Hfr-Signature (HMAC-SHA512 under the secret) and its body; it answers 503 twice first, so
 * the sender's backoff (1 s, then 2 s) shows in the arrival times.
 */
@Tag("integration")
class RealRenderWebhookStepFunctionsTest {
    private static final Duration RENDER_TIMEOUT = Duration.ofSeconds(180);
    private static final String SECRET = "a-long-random-string-for-the-test";

    @TempDir
    static Path tmp;
    private static SfnRealRenderFixture f;

    @BeforeAll
    static void setUp() throws Exception {
        f = SfnRealRenderFixture.start("sfn-hook", tmp);
    }

    private static String input(String render, String webhookJson) {
        return """
                {"ProjectS3Uri":"%s","PlanOutputS3Prefix":"s3://%s/renders/%s","OutputS3Uri":"s3://%s/outputs/%s.mp4",\
                "Config":{"fps":30,"format":"mp4","chunkSize":30,"maxParallelChunks":2},"Webhook":%s}"""
                .formatted(f.project(), f.bucket(), render, f.bucket(), render, webhookJson);
    }

    @Test
    void aSucceededRenderSendsOneSignedSuccessCallRetriedPastTwo503s() throws Exception {
        try (WebhookListener hook = new WebhookListener(SECRET, 2);
             var harness = new ActivityRenderHarness(f.sfn(), new WatchedSteps(f.engine()).engine().dispatcher(), 2, 1)) {
            var outcome = harness.run(input("hook-ok", hook.webhookJson("{\"job\":\"j-7\",\"n\":3}")), RENDER_TIMEOUT);
            assertEquals(ExecutionStatus.SUCCEEDED, outcome.status(), outcome::toString);

            // the assemble step delivers before it returns: by the end of the execution all three calls arrived
            List<WebhookListener.Call> calls = hook.calls;
            assertEquals(List.of(503, 503, 200), calls.stream().map(WebhookListener.Call::answered).toList());
            assertTrue(calls.stream().allMatch(WebhookListener.Call::signatureValid), "every call is signed: " + calls);
            long gap1 = (calls.get(1).atNanos() - calls.get(0).atNanos()) / 1_000_000;
            long gap2 = (calls.get(2).atNanos() - calls.get(1).atNanos()) / 1_000_000;
            System.out.printf("sfn webhook: retries after %d ms and %d ms%n", gap1, gap2);
            assertTrue(gap1 >= 950 && gap2 >= 1950 && gap2 > gap1, "backoff 1 s then 2 s: " + gap1 + ", " + gap2);
            ProgressDocument doc = new ProgressStore(f.engine().storage()).read("s3://" + f.bucket() + "/renders/hook-ok");
            Map<String, Object> body = calls.get(2).body();
            assertEquals("success", body.get("Type"));
            assertEquals("success", calls.get(2).status());
            assertEquals(doc.renderId(), body.get("RenderId"));
            assertEquals(doc.renderId(), calls.get(2).renderIdHeader());
            assertEquals("s3://" + f.bucket() + "/outputs/hook-ok.mp4", body.get("OutputS3Uri"));
            assertEquals(60, ((Number) body.get("FramesRendered")).intValue());
            assertEquals(Map.of("job", "j-7", "n", 3), body.get("CustomData"));
            assertTrue(body.get("Errors") == null || ((List<?>) body.get("Errors")).isEmpty(), body::toString);
            // off Lambda there is no billed usage: CostUsd is absent rather than a made-up figure
            assertNull(body.get("CostUsd"), body::toString);
            assertEquals(calls.get(0).body(), body, "every attempt sends the same body");
        }
    }

    @Test
    void aChunkWithABadInputSendsOneErrorCallNamingIt() throws Exception {
        WatchedSteps steps = new WatchedSteps(f.engine());
        String stale = "0".repeat(64);
        steps.chunkEvent = e -> e.chunkIndex() != 1 ? e : new RenderChunkEvent(e.action(), e.planManifestS3Uri(), stale,
                e.chunkIndex(), e.chunkOutputS3Prefix(), e.format(), e.renderId());
        try (WebhookListener hook = new WebhookListener(SECRET, 0);
             var harness = new ActivityRenderHarness(f.sfn(), steps.engine().dispatcher(), 2, 1)) {
            var outcome = harness.run(input("hook-err", hook.webhookJson("{\"job\":\"j-8\"}")), RENDER_TIMEOUT);
            assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
            assertEquals("PLAN_HASH_MISMATCH", outcome.error());

            assertEquals(1, hook.calls.size(), "one call: " + hook.calls);
            WebhookListener.Call call = hook.calls.get(0);
            assertTrue(call.signatureValid());
            Map<String, Object> body = call.body();
            assertEquals("error", body.get("Type"));
            assertNull(body.get("OutputS3Uri"));
            assertEquals(Map.of("job", "j-8"), body.get("CustomData"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> errors = (List<Map<String, Object>>) body.get("Errors");
            assertTrue(errors.stream().anyMatch(e -> "PLAN_HASH_MISMATCH".equals(e.get("Code"))
                    && Integer.valueOf(1).equals(e.get("Chunk")) && "renderChunk".equals(e.get("Step"))), errors::toString);
            ProgressDocument doc = new ProgressStore(f.engine().storage()).read("s3://" + f.bucket() + "/renders/hook-err");
            assertEquals(ProgressDocument.Status.FAILED, doc.status());
            assertEquals(doc.renderId(), body.get("RenderId"));
        }
    }

    @Test
    void aRenderPastItsDeadlineFailsWithRenderTimeoutAndSendsOneTimeoutCall() throws Exception {
        WatchedSteps steps = new WatchedSteps(f.engine());
        // every chunk is held until the deadline's watch stops it: the render cannot end before the deadline,
        // however fast the machine
        steps.holdChunkUntilInterrupted = e -> true;
        String prefix = "s3://" + f.bucket() + "/renders/hook-late";
        // a render whose deadline is 12 s away (the plan keeps a deadline that exists): the plan runs, the chunk
        // either refuses to start or stops at its next frame when the deadline passes
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(12);
        f.engine().storage().write(StorageUri.parse(RenderKeys.deadline(prefix)),
                ("{\"deadlineAt\":\"" + deadline + "\",\"timeoutSeconds\":12}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (WebhookListener hook = new WebhookListener(SECRET, 0);
             var harness = new ActivityRenderHarness(f.sfn(), steps.engine().dispatcher(), 2, 1)) {
            // two chunks: a one-chunk render that fails trips LocalStack's JSONPath in CollectChunks ($.Chunks[*].Status
            // of one item is a scalar there), which is the Map state's business, not this test's
            String in = input("hook-late", hook.webhookJson("{\"job\":\"j-9\"}"));
            var outcome = harness.run(in, RENDER_TIMEOUT);
            long lateMs = java.time.Duration.between(deadline, java.time.Instant.now()).toMillis();
            assertEquals(ExecutionStatus.FAILED, outcome.status(), outcome::toString);
            assertEquals("RENDER_TIMEOUT", outcome.error(), outcome::toString);

            assertEquals(1, hook.calls.size(), "one call: " + hook.calls);
            WebhookListener.Call call = hook.calls.get(0);
            assertTrue(call.signatureValid());
            assertEquals("timeout", call.body().get("Type"));
            assertEquals(Map.of("job", "j-9"), call.body().get("CustomData"));
            ProgressDocument doc = new ProgressStore(f.engine().storage()).read(prefix);
            assertEquals(ProgressDocument.Status.FAILED, doc.status());
            assertEquals("RENDER_TIMEOUT", doc.failure().code());
            assertEquals(List.of(), f.ls().s3().listObjectsV2(b -> b.bucket(f.bucket()).prefix("outputs/hook-late")).contents(),
                    "no output");
            Long end = steps.chunkEndNanos.get(0);
            RuntimeException chunkFailure = steps.chunkFailures.containsKey(0) ? steps.chunkFailures.get(0) : steps.chunkFailures.get(1);
            System.out.printf("sfn timeout: execution ended %d ms after the deadline; chunk 0 %s%n", lateMs,
                    end == null ? "never started" : "stopped with " + (chunkFailure == null ? "success" : chunkFailure.getMessage()));
            if (chunkFailure instanceof dev.hfr.model.RenderException re) {
                // the held step itself was interrupted; the progress steps around it made that RENDER_TIMEOUT (above)
                assertEquals(dev.hfr.model.ErrorCode.INTERRUPTED, re.code(), "the held chunk was stopped by the deadline's watch");
            }
        }
    }
}
