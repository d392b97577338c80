package dev.hfr.sqs;

import dev.hfr.engine.progress.ProgressStore;
import dev.hfr.local.testing.RealRenderFixture;
import dev.hfr.local.testing.WatchedSteps;
import dev.hfr.local.testing.WebhookListener;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import dev.hfr.model.Webhook;
import dev.hfr.model.WorkflowInput;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks of real SQS-mode renders on LocalStack: success, error (a chunk with a bad input) and timeout (a
 * render past its deadline), each one signed call checked by a listener on 127.0.0.1.
 */
@Tag("integration")
class RealRenderWebhookSqsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final String SECRET = "another-long-random-secret";

    @TempDir
    Path tmp;

    private static WorkflowInput input(SqsFixture f, String project, String render, int chunkSize, WebhookListener hook,
                                       Map<String, Object> customData) {
        return new WorkflowInput(project, "s3://" + f.bucket + "/renders/" + render, "s3://" + f.bucket + "/outputs/" + render + ".mp4",
                RealRenderFixture.config(chunkSize, 2), null, null, new Webhook(hook.url(), SECRET, customData));
    }

    private static ProgressDocument awaitEnd(SqsFixture f, String prefix) {
        return SqsFixture.await(DEADLINE, () -> {
            ProgressDocument d = new ProgressStore(f.storage).read(prefix);
            return d != null && d.status().terminal() ? d : null;
        }, () -> "the end of " + prefix);
    }

    @Test
    void successErrorAndTimeoutEachSendOneSignedCall() throws Exception {
        try (SqsFixture f = new SqsFixture(30, 3);
             WebhookListener ok = new WebhookListener(SECRET, 0);
             WebhookListener bad = new WebhookListener(SECRET, 0);
             WebhookListener late = new WebhookListener(SECRET, 0)) {
            WatchedSteps steps = new WatchedSteps(RealRenderFixture.engine(f.ls, f.bucket, tmp.resolve("work")));
            String stale = "0".repeat(64);
            steps.chunkEvent = e -> !e.planManifestS3Uri().contains("/renders/hook-err/") || e.chunkIndex() != 1 ? e
                    : new RenderChunkEvent(e.action(), e.planManifestS3Uri(), stale, e.chunkIndex(), e.chunkOutputS3Prefix(),
                    e.format(), e.renderId());
            SqsRenderer r = new SqsRenderer(steps.engine(), f.sqs, f.queues(), SqsFixture.settings());
            f.pollAll(r, 2);
            String project = RealRenderFixture.uploadProject(f.ls, f.bucket, "projects/hello.tar.gz");

            // success
            WorkflowInput in = input(f, project, "hook-ok", 30, ok, Map.of("job", "s-1"));
            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            ProgressDocument doc = awaitEnd(f, in.planOutputS3Prefix());
            assertEquals(ProgressDocument.Status.SUCCEEDED, doc.status(), doc::toString);
            List<WebhookListener.Call> calls = ok.await(1, Duration.ofSeconds(10));
            assertEquals(1, calls.size(), calls::toString);
            Map<String, Object> body = calls.get(0).body();
            assertTrue(calls.get(0).signatureValid());
            assertEquals("success", body.get("Type"));
            assertEquals(renderId, body.get("RenderId"));
            assertEquals(in.outputS3Uri(), body.get("OutputS3Uri"));
            assertEquals(60, ((Number) body.get("FramesRendered")).intValue());
            assertEquals(Map.of("job", "s-1"), body.get("CustomData"));
            // the SQS requests of the plan and the chunks are priced by the time the assemble sends the call
            assertTrue(body.get("CostUsd") instanceof Number n && n.doubleValue() > 0, "CostUsd: " + body.get("CostUsd"));
            System.out.println("sqs webhook success body: " + body);

            // error: chunk 1 gets a stale PlanHash
            WorkflowInput err = input(f, project, "hook-err", 30, bad, Map.of("job", "s-2"));
            RenderRequests.send(f.sqs, f.requestQueue, err);
            doc = awaitEnd(f, err.planOutputS3Prefix());
            assertEquals(ProgressDocument.Status.FAILED, doc.status(), doc::toString);
            calls = bad.await(1, Duration.ofSeconds(10));
            body = calls.get(0).body();
            assertTrue(calls.get(0).signatureValid());
            assertEquals("error", body.get("Type"));
            assertNull(body.get("OutputS3Uri"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> errors = (List<Map<String, Object>>) body.get("Errors");
            assertTrue(errors.stream().anyMatch(e -> "PLAN_HASH_MISMATCH".equals(e.get("Code")) && Integer.valueOf(1).equals(e.get("Chunk"))),
                    errors::toString);

            // timeout: a render whose deadline is 10 s away; its chunk is held until the deadline's watch stops it,
            // so the render cannot end before the deadline on a fast machine
            steps.holdChunkUntilInterrupted = e -> e.planManifestS3Uri().contains("/renders/hook-late/");
            WorkflowInput slow = input(f, project, "hook-late", 60, late, Map.of("job", "s-3"));
            Instant deadline = Instant.now().plusSeconds(10);
            f.storage.write(StorageUri.parse(RenderKeys.deadline(slow.planOutputS3Prefix())),
                    ("{\"deadlineAt\":\"" + deadline + "\",\"timeoutSeconds\":10}").getBytes(StandardCharsets.UTF_8));
            RenderRequests.send(f.sqs, f.requestQueue, slow);
            doc = awaitEnd(f, slow.planOutputS3Prefix());
            assertEquals(ProgressDocument.Status.FAILED, doc.status(), doc::toString);
            assertEquals("RENDER_TIMEOUT", doc.failure().code(), doc::toString);
            calls = late.await(1, Duration.ofSeconds(10));
            assertTrue(calls.get(0).signatureValid());
            assertEquals("timeout", calls.get(0).body().get("Type"));
            assertEquals(Map.of("job", "s-3"), calls.get(0).body().get("CustomData"));
            System.out.printf("sqs timeout: FAILED %d ms after the deadline%n", Duration.between(deadline, Instant.now()).toMillis());

            // each render made exactly one call, and the failed ones published nothing
            SqsFixture.await(Duration.ofSeconds(20), () -> f.depth(f.chunkQueue) == 0 && f.depth(f.assembleQueue) == 0 ? true : null,
                    () -> "the queues to drain");
            assertEquals(List.of(1, 1, 1), List.of(ok.calls.size(), bad.calls.size(), late.calls.size()));
            assertEquals(List.of("outputs/hook-ok.mp4"), f.ls.s3().listObjectsV2(b -> b.bucket(f.bucket).prefix("outputs/"))
                    .contents().stream().map(o -> o.key()).toList());
        }
    }
}
