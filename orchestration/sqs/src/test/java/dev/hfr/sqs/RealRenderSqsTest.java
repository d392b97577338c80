package dev.hfr.sqs;

import org.junit.jupiter.api.Tag;

import dev.hfr.local.testing.RealRenderFixture;
import dev.hfr.engine.Engine;
import dev.hfr.ffmpeg.PsnrResult;
import dev.hfr.engine.progress.ProgressStore;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.WorkflowInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQS mode on LocalStack SQS + S3 driving the REAL engine (Chromium capture, ffmpeg encode and assemble):
 * one plan consumer, two chunk consumers, one assemble consumer, all storage through RoutingStorage limited to
 * the test bucket. The output must match a local single-pass render of the same fixture.
 */
@Tag("integration")
class RealRenderSqsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    @Test
    void rendersTheFixtureThroughTheQueuesAndMatchesTheSinglePassRender() throws Exception {
        Path reference = RealRenderFixture.referenceRender(tmp.resolve("reference"));
        // visibility 30 s: a chunk's heartbeat keeps it hidden; 3 receives before the DLQ
        try (SqsFixture f = new SqsFixture(30, 3)) {
            Engine engine = RealRenderFixture.engine(f.ls, f.bucket, tmp.resolve("work"));
            SqsRenderer r = new SqsRenderer(engine, f.sqs, f.queues(), SqsFixture.settings());
            f.poll(f.requestQueue, r.planConsumer(), 1);
            f.poll(f.chunkQueue, r.chunkConsumer(), 2);
            f.poll(f.assembleQueue, r.assembleConsumer(), 1);
            String project = RealRenderFixture.uploadProject(f.ls, f.bucket, "projects/hello.tar.gz");
            String output = "s3://" + f.bucket + "/outputs/sqs-e2e.mp4";
            WorkflowInput in = new WorkflowInput(project, "s3://" + f.bucket + "/renders/sqs-e2e", output,
                    RealRenderFixture.config(15, 4), null, null);

            long t0 = System.nanoTime();
            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            RenderStatus s = SqsFixture.await(DEADLINE, () -> {
                RenderStatus now = ProgressReader.read(f.storage, in.planOutputS3Prefix());
                return now.status().terminal() ? now : null;
            }, () -> "a final status of " + in.planOutputS3Prefix() + "; last: "
                    + ProgressReader.read(f.storage, in.planOutputS3Prefix()));
            long millis = (System.nanoTime() - t0) / 1_000_000;

            assertEquals(RenderStatus.Status.SUCCEEDED, s.status(), s::toString);
            assertNull(s.failure(), s::toString);
            assertEquals(renderId, s.renderId());
            assertEquals(4, s.chunkCount(), "60 frames in chunks of 15");
            assertEquals(s.chunkCount(), s.chunksDone());
            assertEquals(output, s.outputUri());
            assertTrue(s.errors().isEmpty(), "no step failed, not even a retried one: " + s.errors());
            // the documented key layout (chunks/NNNNN.mp4 under the render's prefix), as under Step Functions
            for (int i = 0; i < 4; i++) {
                String key = "renders/sqs-e2e/chunks/%05d.mp4".formatted(i);
                assertTrue(RealRenderFixture.exists(f.ls, "s3://" + f.bucket + "/" + key), "chunk at " + key);
            }
            assertFalse(RealRenderFixture.exists(f.ls, "s3://" + f.bucket + "/renders/sqs-e2e/chunks/chunks"),
                    "no chunks/chunks/ nesting");
            Path video = RealRenderFixture.download(f.ls, output, tmp.resolve("sqs-e2e.mp4"));
            PsnrResult p = RealRenderFixture.assertMatchesReference(reference, video);
            // the same progress document the Step Functions and local modes get
            ProgressDocument doc = new ProgressStore(engine.storage()).read(in.planOutputS3Prefix());
            assertEquals(ProgressDocument.Status.SUCCEEDED, doc.status(), doc::toString);
            assertEquals(renderId, doc.renderId());
            assertEquals(60, doc.framesDone());
            assertEquals(4, doc.chunksDone());
            assertEquals(output, doc.outputUri());
            assertTrue(doc.chunks().stream().allMatch(c -> c.done() && c.attempts() == 1), doc.chunks()::toString);
            RealRenderFixture.assertStillsShow(f.ls, doc, in.planOutputS3Prefix(), video, tmp.resolve("stills"));
            System.out.printf("sqs e2e: %d ms from send to SUCCEEDED, PSNR %s%n", millis, p);
        }
    }

    @Test
    void missingProjectFailsTheRenderAtPlanNamingTheUri() throws Exception {
        try (SqsFixture f = new SqsFixture(30, 3)) {
            Engine engine = RealRenderFixture.engine(f.ls, f.bucket, tmp.resolve("work"));
            SqsRenderer r = new SqsRenderer(engine, f.sqs, f.queues(), SqsFixture.settings());
            f.pollAll(r, 1);
            String missing = "s3://" + f.bucket + "/projects/does-not-exist.tar.gz";
            WorkflowInput in = new WorkflowInput(missing, "s3://" + f.bucket + "/renders/missing",
                    "s3://" + f.bucket + "/outputs/missing.mp4", RealRenderFixture.config(15, 4), null, null);

            RenderRequests.send(f.sqs, f.requestQueue, in);
            RenderStatus s = f.awaitStatus(in.planOutputS3Prefix(), RenderStatus.Status.FAILED, DEADLINE);

            assertEquals("PROJECT_NOT_FOUND", s.failure().code(), s::toString);
            assertTrue(s.failure().message().contains(missing), s.failure().message());
            assertNull(s.failure().chunk(), "a plan failure names no chunk");
            assertEquals(0, s.chunksDone());
            assertEquals(0, f.depth(f.chunkQueue), "no chunk may be queued for a project that does not exist");
        }
    }
}
