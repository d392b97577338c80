package dev.hfr.sqs;

import org.junit.jupiter.api.Tag;

import dev.hfr.storage.RoutingStorage;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.Step;
import dev.hfr.model.StorageUri;
import dev.hfr.model.WorkflowInput;
import dev.hfr.sqs.internal.Json;
import dev.hfr.sqs.internal.Messages;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQS mode end to end on LocalStack SQS + S3, with scripted steps (no browser, no ffmpeg). */
@Tag("integration")
class SqsRenderIntegrationTest {
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    private static String expectedOutput(String renderId, int chunks) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            sb.append(renderId).append(':').append(i).append('\n');
        }
        return sb.toString();
    }

    private static void parkMillis(long millis) {
        // Simulated render work inside a scripted step (not a wait in the test itself).
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void endToEndWithThreeConsumersPerQueueAssemblesOnceAndSucceeds() {
        try (SqsFixture f = new SqsFixture(2, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            // Chunk 2 works for 3.5 s, longer than the 2 s visibility: only the heartbeat keeps it from a second worker.
            steps.onChunk = (e, attempt) -> parkMillis(e.chunkIndex() == 2 ? 3500 : 50);
            SqsRenderer r = f.renderer(steps);
            f.pollAll(r, 3);
            WorkflowInput in = f.input("e2e", 10, null);

            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            RenderStatus s = f.awaitStatus(f.prefix(in), RenderStatus.Status.SUCCEEDED, DEADLINE);

            assertEquals(6, s.chunkCount());
            assertEquals(s.chunkCount(), s.chunksDone());
            assertEquals(renderId, s.renderId());
            assertEquals(in.outputS3Uri(), s.outputUri());
            for (int i = 0; i < 6; i++) {
                assertEquals(1, steps.chunkCalls(renderId, i), "renders of chunk " + i);
            }
            assertEquals(1, steps.assembles.size());
            assertEquals(1, steps.outputsPublished.get());
            assertEquals(expectedOutput(renderId, 6), new String(f.storage.read(StorageUri.parse(in.outputS3Uri())),
                    StandardCharsets.UTF_8));
            // hf progress by id goes through the index object.
            assertEquals(RenderStatus.Status.SUCCEEDED, ProgressReader.readById(f.storage, "s3://" + f.bucket, renderId).status());
            assertEquals(RenderStatus.Status.SUCCEEDED, Json.read(f.storage.read(StorageUri.parse(
                    RenderKeys.status(f.prefix(in)))), RenderStatus.class, "status.json").status());
        }
    }

    @Test
    void everySqsRequestOfARenderIsCountedIntoItsProgressDocument() {
        try (SqsFixture f = new SqsFixture(30, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            SqsRenderer r = f.renderer(steps);
            f.pollAll(r, 1);
            WorkflowInput in = f.input("sqs-cost", 10, 6);
            RenderRequests.send(f.sqs, f.requestQueue, in);
            f.awaitStatus(f.prefix(in), RenderStatus.Status.SUCCEEDED, DEADLINE);

            // plan: receive, one SendMessageBatch of the 6 chunks, delete = 3; each chunk: receive, delete = 12, and
            // the last one sends the assemble = 1; assemble: receive, delete = 2 (steps this short need no heartbeat)
            long expected = 3 + 12 + 1 + 2;
            dev.hfr.engine.progress.ProgressStore progress = new dev.hfr.engine.progress.ProgressStore(f.storage);
            long counted = SqsFixture.await(Duration.ofSeconds(10), () -> {
                long n = progress.read(f.prefix(in)).usage().sqsRequests();
                return n >= expected ? n : null;
            }, () -> expected + " SQS requests; counted " + progress.read(f.prefix(in)).usage().sqsRequests());
            assertEquals(expected, counted);
            dev.hfr.model.RenderCost cost = dev.hfr.model.RenderCost.of(dev.hfr.model.PriceTable.forRegion("us-east-1"),
                    progress.read(f.prefix(in)).usage(), 0, 0);
            assertEquals(expected * 0.0000004, cost.sqsUsd(), 1e-12);
            System.out.println("sqs cost of a 6-chunk render: " + cost.summary());
        }
    }

    @Test
    void everyChunkAndAssembleMessageDeliveredTwiceStillAssemblesOnce() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            DuplicatingSqs dup = new DuplicatingSqs(f.sqs, List.of(f.chunkQueue, f.assembleQueue));
            SqsRenderer r = new SqsRenderer(steps.engine(), dup, f.queues(), SqsFixture.settings());
            f.pollAll(r, 3);
            WorkflowInput in = f.input("dups", 10, null);

            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            RenderStatus s = f.awaitStatus(f.prefix(in), RenderStatus.Status.SUCCEEDED, DEADLINE);
            // Let the duplicates drain before counting.
            SqsFixture.await(DEADLINE, () -> f.depth(f.chunkQueue) == 0 && f.depth(f.assembleQueue) == 0 ? true : null,
                    () -> "chunk and assemble queues to drain");

            assertTrue(dup.duplicated.get() >= 7, "duplicates sent: " + dup.duplicated.get());
            assertEquals(6, s.chunksDone());
            assertEquals(1, steps.assembles.size(), "assemble calls");
            assertEquals(1, steps.outputsPublished.get(), "outputs published");
            assertEquals(expectedOutput(renderId, 6), new String(f.storage.read(StorageUri.parse(in.outputS3Uri())),
                    StandardCharsets.UTF_8));
            assertEquals(RenderStatus.Status.SUCCEEDED, ProgressReader.read(f.storage, f.prefix(in)).status());
        }
    }

    @Test
    void claimantThatDiesAfterTakingTheAssembleLockIsFinishedByTheRedelivery() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            DuplicatingSqs sqs = new DuplicatingSqs(f.sqs, List.of());
            sqs.failFirstSendTo = f.assembleQueue;
            SqsRenderer r = new SqsRenderer(steps.engine(), sqs, f.queues(), SqsFixture.settings());
            f.pollAll(r, 2);
            WorkflowInput in = f.input("lock-crash", 20, null);

            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            RenderStatus s = f.awaitStatus(f.prefix(in), RenderStatus.Status.SUCCEEDED, DEADLINE);

            assertEquals(2, sqs.failedSends.get(), "one failed assemble send, then exactly one re-send");
            assertTrue(f.storage.exists(StorageUri.parse(RenderKeys.assembleLock(f.prefix(in)))));
            assertEquals(1, steps.assembles.size());
            assertEquals(3, s.chunksDone());
            assertTrue(s.errors().stream().anyMatch(e -> e.chunk() != null), "the failed attempt is recorded: " + s);
            assertEquals(expectedOutput(renderId, 3), new String(f.storage.read(StorageUri.parse(in.outputS3Uri())),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void lastChunksFinishingTogetherStartExactlyOneAssemble() throws Exception {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(4);
            // All four chunks leave renderChunk at the same instant, so all four workers race the fan-in.
            steps.onChunk = (e, attempt) -> {
                try {
                    together.await(20, TimeUnit.SECONDS);
                } catch (Exception ex) {
                    throw new RenderException(ErrorCode.INTERNAL_ERROR, "barrier: " + ex);
                }
            };
            SqsRenderer r = f.renderer(steps);
            f.poll(f.requestQueue, r.planConsumer(), 1);
            f.poll(f.chunkQueue, r.chunkConsumer(), 4);
            f.poll(f.assembleQueue, r.assembleConsumer(), 2);
            WorkflowInput in = f.input("together", 15, null);

            RenderRequests.send(f.sqs, f.requestQueue, in);
            f.awaitStatus(f.prefix(in), RenderStatus.Status.SUCCEEDED, DEADLINE);
            SqsFixture.await(DEADLINE, () -> f.depth(f.assembleQueue) == 0 ? true : null, () -> "assemble queue to drain");

            assertEquals(1, steps.assembles.size());
            assertEquals(4, steps.chunkCalls.size());
        }
    }

    @Test
    void workerThatDiesMidChunkIsReplacedAfterTheVisibilityTimeout() {
        try (SqsFixture f = new SqsFixture(2, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            SqsRenderer r = f.renderer(steps);
            f.poll(f.requestQueue, r.planConsumer(), 1);
            WorkflowInput in = f.input("dies", 20, null);
            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            f.awaitStatus(f.prefix(in), RenderStatus.Status.RENDERING, DEADLINE);

            // The dying worker: receives one chunk message, never deletes it, never heartbeats.
            Message taken = SqsFixture.await(DEADLINE, () -> f.sqs.receiveMessage(b -> b.queueUrl(f.chunkQueue)
                    .maxNumberOfMessages(1).waitTimeSeconds(1)).messages().stream().findFirst().orElse(null),
                    () -> "a chunk message");
            long diedAt = System.nanoTime();
            Messages.ChunkMessage lost = Json.read(taken.body(), Messages.ChunkMessage.class, "taken");

            Map<String, Integer> receiveCounts = new ConcurrentHashMap<>();
            MessageConsumer chunks = r.chunkConsumer();
            f.poll(f.chunkQueue, d -> {
                receiveCounts.merge(d.messageId(), d.receiveCount(), Math::max);
                return chunks.consume(d);
            }, 2);
            f.poll(f.assembleQueue, r.assembleConsumer(), 1);
            RenderStatus s = f.awaitStatus(f.prefix(in), RenderStatus.Status.SUCCEEDED, DEADLINE);

            assertEquals(3, s.chunksDone());
            assertEquals(2, receiveCounts.get(taken.messageId()), "the lost message came back once");
            ScriptedSteps.ChunkCall redone = steps.chunkCalls.stream()
                    .filter(c -> c.index() == lost.chunkIndex()).findFirst().orElseThrow();
            assertTrue(redone.startNanos() - diedAt >= TimeUnit.MILLISECONDS.toNanos(1500),
                    "chunk " + lost.chunkIndex() + " was rendered only after the visibility timeout");
            assertEquals(1, steps.chunkCalls(renderId, lost.chunkIndex()));
            assertEquals(1, steps.assembles.size());
        }
    }

    @Test
    void poisonChunkGoesToTheDlqAndFailsTheRender() {
        try (SqsFixture f = new SqsFixture(3, 2)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            steps.onChunk = (e, attempt) -> {
                if (e.chunkIndex() == 1) {
                    throw new RenderException(ErrorCode.BROWSER_CRASHED, "scripted crash on attempt " + attempt);
                }
            };
            SqsRenderer r = f.renderer(steps);
            f.pollAll(r, 2);
            WorkflowInput in = f.input("poison", 20, null);

            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            RenderStatus s = f.awaitStatus(f.prefix(in), RenderStatus.Status.FAILED, DEADLINE);
            Message dead = SqsFixture.await(DEADLINE, () -> f.sqs.receiveMessage(b -> b.queueUrl(f.chunkDlq)
                    .maxNumberOfMessages(1).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages().stream().findFirst().orElse(null), () -> "the poison message in the DLQ");

            assertEquals(ErrorCode.BROWSER_CRASHED.name(), s.failure().code());
            assertEquals(1, s.failure().chunk());
            assertTrue(s.errors().size() >= 2, "first attempt and final failure recorded: " + s.errors());
            assertEquals(1, Json.read(dead.body(), Messages.ChunkMessage.class, "dead").chunkIndex());
            assertEquals(2, steps.chunkCalls(renderId, 1), "attempts at the poison chunk = maxReceiveCount");
            assertTrue(steps.assembles.isEmpty());
            assertTrue(f.storage.exists(StorageUri.parse(RenderKeys.failure(f.prefix(in)))));

            // The DLQ consumer on that message keeps the first failure (no second, different verdict).
            MessageConsumer.Outcome o = r.dlqConsumer().consume(new Delivery(f.chunkDlq, dead.messageId(),
                    dead.receiptHandle(), dead.body(), 3));
            assertEquals(MessageConsumer.Outcome.DONE, o);
            assertEquals(ErrorCode.BROWSER_CRASHED.name(), ProgressReader.read(f.storage, f.prefix(in)).failure().code());
        }
    }

    @Test
    void nonRetryableErrorFailsAtOnceAndStopsFurtherChunkWork() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            steps.onChunk = (e, attempt) -> {
                throw new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "scripted: plan changed under chunk " + e.chunkIndex());
            };
            SqsRenderer r = f.renderer(steps);
            f.poll(f.requestQueue, r.planConsumer(), 1);
            f.poll(f.chunkQueue, r.chunkConsumer(), 1);
            f.poll(f.assembleQueue, r.assembleConsumer(), 1);
            WorkflowInput in = f.input("fatal", 10, null);

            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            RenderStatus s = f.awaitStatus(f.prefix(in), RenderStatus.Status.FAILED, DEADLINE);
            SqsFixture.await(DEADLINE, () -> f.depth(f.chunkQueue) == 0 ? true : null, () -> "chunk queue to drain");

            assertEquals(ErrorCode.PLAN_HASH_MISMATCH.name(), s.failure().code());
            assertEquals(6, s.chunkCount());
            assertEquals(1, steps.chunkCalls(renderId), "renderChunk calls after the first non-retryable failure");
            assertEquals(0, f.depth(f.chunkDlq), "dropped messages do not go to the DLQ");
            assertTrue(steps.assembles.isEmpty());
        }
    }

    @Test
    void twoConcurrentRendersDoNotMixChunks() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            steps.onChunk = (e, attempt) -> parkMillis(30);
            SqsRenderer r = f.renderer(steps);
            f.pollAll(r, 3);
            WorkflowInput a = f.input("render-a", 15, 2);
            WorkflowInput b = f.input("render-b", 12, 3);

            String idA = RenderRequests.send(f.sqs, f.requestQueue, a);
            String idB = RenderRequests.send(f.sqs, f.requestQueue, b);
            f.awaitStatus(f.prefix(a), RenderStatus.Status.SUCCEEDED, DEADLINE);
            f.awaitStatus(f.prefix(b), RenderStatus.Status.SUCCEEDED, DEADLINE);

            assertEquals(2, steps.assembles.size());
            Map<String, Integer> chunks = Map.of(idA, 4, idB, 5);
            Map<String, String> prefixes = Map.of(idA, f.prefix(a), idB, f.prefix(b));
            for (var e : steps.assembles) {
                String prefix = prefixes.get(e.renderId());
                List<String> expected = IntStream.range(0, chunks.get(e.renderId()))
                        .mapToObj(i -> RenderKeys.chunk(prefix, i, OutputFormat.MP4)).toList();
                assertEquals(expected, e.chunkS3Uris(), "chunk URIs of " + e.renderId());
            }
            assertEquals(expectedOutput(idA, 4), new String(f.storage.read(StorageUri.parse(a.outputS3Uri())), StandardCharsets.UTF_8));
            assertEquals(expectedOutput(idB, 5), new String(f.storage.read(StorageUri.parse(b.outputS3Uri())), StandardCharsets.UTF_8));
        }
    }

    @Test
    void maxParallelChunksIsNeverExceeded() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            steps.onChunk = (e, attempt) -> parkMillis(250);
            SqsRenderer r = f.renderer(steps);
            f.pollAll(r, 3);
            WorkflowInput in = f.input("parallel", 6, 2);

            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            RenderStatus s = f.awaitStatus(f.prefix(in), RenderStatus.Status.SUCCEEDED, DEADLINE);

            assertEquals(10, s.chunksDone());
            assertEquals(10, steps.chunkCalls(renderId));
            int max = steps.maxInFlight.get(renderId).get();
            assertTrue(max <= 2, "at most 2 chunk renders in flight, saw " + max);
            assertEquals(2, max, "with 3 workers the 2 allowed chunks do run side by side");
        }
    }

    @Test
    void dlqConsumerFailsARenderWhoseChunkDiedWithoutARecordedError() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            SqsRenderer r = f.renderer(steps);
            String prefix = "s3://" + f.bucket + "/renders/silent";
            new dev.hfr.sqs.internal.StatusStore(f.storage).planning(prefix, "silent", null);
            new dev.hfr.sqs.internal.StatusStore(f.storage).rendering(prefix, "silent", 4);
            Messages.RenderContext ctx = new Messages.RenderContext("silent", prefix, RenderKeys.planManifest(prefix),
                    "hash", 4, 4, "s3://" + f.bucket + "/outputs/silent.mp4", "mp4");
            f.sqs.sendMessage(b -> b.queueUrl(f.chunkDlq).messageBody(Json.write(new Messages.ChunkMessage(ctx, 3))));
            f.poll(f.chunkDlq, r.dlqConsumer(), 1);

            RenderStatus s = f.awaitStatus(prefix, RenderStatus.Status.FAILED, DEADLINE);
            SqsFixture.await(DEADLINE, () -> f.depth(f.chunkDlq) == 0 ? true : null, () -> "DLQ message handled");

            assertEquals(ErrorCode.TIMEOUT.name(), s.failure().code());
            assertEquals(3, s.failure().chunk());
            assertTrue(f.storage.exists(StorageUri.parse(RenderKeys.failure(prefix))));
            assertTrue(steps.chunkCalls.isEmpty());
        }
    }

    @Test
    void redeliveredRequestDoesNotPlanAgainAndADuplicateRequestIsDropped() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            SqsRenderer r = f.renderer(steps);
            WorkflowInput in = f.input("replan", 20, 2);
            WorkflowInput withId = new WorkflowInput(in.projectS3Uri(), in.planOutputS3Prefix(), in.outputS3Uri(),
                    in.config(), "replan-1", null);
            String body = Json.write(withId);

            // No receipt handle: the consumer is called directly, as after a crash before the delete.
            assertEquals(MessageConsumer.Outcome.DONE, r.planConsumer().consume(new Delivery(f.requestQueue, "m-1", null, body, 1)));
            assertEquals(MessageConsumer.Outcome.DONE, r.planConsumer().consume(new Delivery(f.requestQueue, "m-1", null, body, 2)));
            assertEquals(MessageConsumer.Outcome.DROP, r.planConsumer().consume(new Delivery(f.requestQueue, "m-2", null, body, 1)));

            assertEquals(1, steps.plans.size(), "planned once");
            assertEquals(4, f.depth(f.chunkQueue), "first 2 chunks sent, re-sent once by the redelivery");
            RenderStatus s = ProgressReader.readById(f.storage, "s3://" + f.bucket, "replan-1");
            assertEquals(RenderStatus.Status.RENDERING, s.status());
            assertEquals(3, s.chunkCount());
        }
    }

    @Test
    void requestWithoutOutputFailsTheRenderItNames() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            SqsRenderer r = f.renderer(steps);
            WorkflowInput in = f.input("no-output", 20, null);
            String body = Json.write(new WorkflowInput(in.projectS3Uri(), in.planOutputS3Prefix(), null, in.config(), "no-out", null));

            assertEquals(MessageConsumer.Outcome.DROP, r.planConsumer().consume(new Delivery(f.requestQueue, "m-3", null, body, 1)));

            RenderStatus s = ProgressReader.read(f.storage, in.planOutputS3Prefix());
            assertEquals(RenderStatus.Status.FAILED, s.status());
            assertEquals(ErrorCode.INVALID_EVENT.name(), s.failure().code());
            assertTrue(s.failure().message().contains("OutputS3Uri"), s.failure().message());
            assertTrue(steps.plans.isEmpty());
        }
    }

    @Test
    void aSecondRequestCannotRepointARenderId() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            SqsRenderer r = f.renderer(steps);
            WorkflowInput first = f.input("owner", 20, null);
            WorkflowInput second = f.input("intruder", 20, null);
            String a = Json.write(new WorkflowInput(first.projectS3Uri(), first.planOutputS3Prefix(), first.outputS3Uri(),
                    first.config(), "shared-id", null));
            String b = Json.write(new WorkflowInput(second.projectS3Uri(), second.planOutputS3Prefix(), second.outputS3Uri(),
                    second.config(), "shared-id", null));

            assertEquals(MessageConsumer.Outcome.DONE, r.planConsumer().consume(new Delivery(f.requestQueue, "m-a", null, a, 1)));
            assertEquals(MessageConsumer.Outcome.DROP, r.planConsumer().consume(new Delivery(f.requestQueue, "m-b", null, b, 1)));

            RenderStatus byId = ProgressReader.readById(f.storage, "s3://" + f.bucket, "shared-id");
            assertEquals(first.outputS3Uri(), byId.outputUri(), "hf progress shared-id still shows the first render");
            RenderStatus refused = ProgressReader.read(f.storage, second.planOutputS3Prefix());
            assertEquals(RenderStatus.Status.FAILED, refused.status());
            assertEquals(ErrorCode.INVALID_EVENT.name(), refused.failure().code());
            assertTrue(refused.failure().message().contains("already names the render at " + first.planOutputS3Prefix()),
                    refused.failure().message());
            assertEquals(1, steps.plans.size(), "only the first request planned");
        }
    }

    private static java.util.Set<String> keys(SqsFixture f, String prefix) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        f.ls.s3().listObjectsV2Paginator(b -> b.bucket(f.bucket).prefix(prefix)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    /**
     * Issue 13: claims and records live under renders/, which the lifecycle rule expires after 7 days, so a DLQ
     * redrive after that planned, rendered and published again. Here the lifecycle rule is played by deleting every
     * object under renders/, then the request, a chunk and the assemble message are redriven.
     */
    @Test
    void aRedriveOfAFinishedRenderAfterItsRecordsExpiredRendersNothing() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            SqsRenderer r = f.renderer(steps);
            f.pollAll(r, 2);
            WorkflowInput in = f.input("expired", 10, null);
            String renderId = RenderRequests.send(f.sqs, f.requestQueue, in);
            f.awaitStatus(f.prefix(in), RenderStatus.Status.SUCCEEDED, DEADLINE);
            SqsFixture.await(DEADLINE, () -> f.depth(f.chunkQueue) == 0 && f.depth(f.assembleQueue) == 0 ? true : null,
                    () -> "chunk and assemble queues to drain");
            Messages.RenderContext ctx = Json.read(f.storage.read(StorageUri.parse(
                    dev.hfr.sqs.internal.SqsKeys.renderContext(f.prefix(in)))), Messages.RenderContext.class, "render.json");
            StorageUri output = StorageUri.parse(in.outputS3Uri());
            var published = f.ls.s3().headObject(b -> b.bucket(f.bucket).key(output.key()));
            int plans = steps.plans.size();
            long chunks = steps.chunkCalls(renderId);

            // the lifecycle rule: everything under renders/ (claims, markers, status, index) is gone
            for (String key : keys(f, "renders/")) {
                f.ls.s3().deleteObject(b -> b.bucket(f.bucket).key(key));
            }
            assertTrue(keys(f, "renders/").isEmpty());
            // the redrive: the request, a chunk and the assemble message come back
            f.sqs.sendMessage(b -> b.queueUrl(f.requestQueue).messageBody(Json.write(new WorkflowInput(in.projectS3Uri(),
                    in.planOutputS3Prefix(), in.outputS3Uri(), in.config(), renderId, null))));
            f.sqs.sendMessage(b -> b.queueUrl(f.chunkQueue).messageBody(Json.write(new Messages.ChunkMessage(ctx, 3))));
            f.sqs.sendMessage(b -> b.queueUrl(f.assembleQueue).messageBody(Json.write(new Messages.AssembleMessage(ctx))));
            SqsFixture.await(DEADLINE, () -> f.depth(f.requestQueue) == 0 && f.depth(f.chunkQueue) == 0
                    && f.depth(f.assembleQueue) == 0 ? true : null, () -> "the redriven messages to be consumed");

            assertEquals(plans, steps.plans.size(), "no new plan");
            assertEquals(chunks, steps.chunkCalls(renderId), "no chunk rendered again");
            assertEquals(1, steps.assembles.size(), "no new assemble");
            assertEquals(1, steps.outputsPublished.get());
            assertEquals(java.util.Set.of(), keys(f, "renders/"), "nothing was written under renders/ again");
            var head = f.ls.s3().headObject(b -> b.bucket(f.bucket).key(output.key()));
            assertEquals(published.eTag(), head.eTag());
            assertEquals(published.lastModified(), head.lastModified(), "the output was not published again");
            assertEquals(0, f.depth(f.requestDlq) + f.depth(f.chunkDlq) + f.depth(f.assembleDlq), "nothing in a DLQ");
        }
    }

    /** Issue 13: a message could make the consumers write claims and records anywhere in the render bucket. */
    @Test
    void aMessageWhosePrefixIsOutsideRendersWritesNothing() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(new RoutingStorage(f.ls.storageConfig(f.bucket)));
            SqsRenderer r = f.renderer(steps);
            WorkflowInput in = f.input("escape", 20, null);
            String prefix = "s3://" + f.bucket + "/website/escape";
            String body = Json.write(new WorkflowInput(in.projectS3Uri(), prefix, in.outputS3Uri(), in.config(), "escape", null));
            Messages.RenderContext ctx = new Messages.RenderContext("escape", prefix, RenderKeys.planManifest(prefix),
                    "hash", 2, 2, in.outputS3Uri(), "mp4");

            assertEquals(MessageConsumer.Outcome.DROP, r.planConsumer().consume(new Delivery(f.requestQueue, "m-e", null, body, 1)));
            assertEquals(MessageConsumer.Outcome.DROP, r.chunkConsumer().consume(new Delivery(f.chunkQueue, "m-c", null,
                    Json.write(new Messages.ChunkMessage(ctx, 0)), 1)));
            assertEquals(MessageConsumer.Outcome.DROP, r.assembleConsumer().consume(new Delivery(f.assembleQueue, "m-a", null,
                    Json.write(new Messages.AssembleMessage(ctx)), 1)));
            assertTrue(steps.plans.isEmpty() && steps.chunkCalls.isEmpty() && steps.assembles.isEmpty(), "no step ran");
            assertEquals(java.util.Set.of(), keys(f, ""), "no claim, status or failure record was written anywhere");
        }
    }

    /** A request whose prefix is in another bucket cannot even record its failure: it must end, not loop via the DLQ. */
    @Test
    void requestWhosePrefixIsOutsideTheRenderBucketEndsInsteadOfLooping() {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(new RoutingStorage(f.ls.storageConfig(f.bucket)));
            SqsRenderer r = f.renderer(steps);
            WorkflowInput in = f.input("poison", 20, null);
            String body = Json.write(new WorkflowInput(in.projectS3Uri(), "s3://another-bucket/renders/poison",
                    in.outputS3Uri(), in.config(), "poison", null));

            assertEquals(MessageConsumer.Outcome.DROP, r.planConsumer().consume(new Delivery(f.requestQueue, "m-p", null, body, 1)));
            assertTrue(steps.plans.isEmpty(), "nothing was planned");
        }
    }

    @Test
    void lambdaBatchNamesOnlyTheRetryableFailure() throws Exception {
        try (SqsFixture f = new SqsFixture(3, 3)) {
            ScriptedSteps steps = new ScriptedSteps(f.storage);
            steps.onChunk = (e, attempt) -> {
                if (e.chunkIndex() == 1) {
                    throw new RenderException(ErrorCode.CAPTURE_FAILED, "scripted capture failure");
                }
            };
            SqsRenderer r = f.renderer(steps);
            String prefix = "s3://" + f.bucket + "/renders/lambda";
            Messages.RenderContext ctx = new Messages.RenderContext("lambda", prefix, RenderKeys.planManifest(prefix),
                    "hash", 2, 2, "s3://" + f.bucket + "/outputs/lambda.mp4", "mp4");
            for (int i = 0; i < 2; i++) {
                String body = Json.write(new Messages.ChunkMessage(ctx, i));
                f.sqs.sendMessage(b -> b.queueUrl(f.chunkQueue).messageBody(body));
            }
            List<Message> received = new java.util.ArrayList<>();
            SqsFixture.await(DEADLINE, () -> {
                received.addAll(f.sqs.receiveMessage(b -> b.queueUrl(f.chunkQueue).maxNumberOfMessages(2)
                        .waitTimeSeconds(1)).messages());
                return received.size() >= 2 ? true : null;
            }, () -> "both chunk messages");
            String template;
            try (var in = getClass().getResourceAsStream("/sqs-event-two-records.json")) {
                template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String event = template;
            for (int k = 0; k < 2; k++) {
                Message m = received.get(k);
                event = event.replace("${messageId" + k + "}", m.messageId())
                        .replace("${receiptHandle" + k + "}", Json.write(m.receiptHandle()).replaceAll("^\"|\"$", ""))
                        .replace("${body" + k + "}", Json.write(m.body()).replaceAll("^\"|\"$", ""));
            }
            String failing = received.stream().filter(m -> Json.read(m.body(), Messages.ChunkMessage.class, "m")
                    .chunkIndex() == 1).findFirst().orElseThrow().messageId();

            String response = SqsLambdaBatch.handle(Step.RENDER_CHUNK, event, r);

            assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + failing + "\"}]}", response);
            assertTrue(f.storage.exists(StorageUri.parse(RenderKeys.chunkDone(prefix, 0))));
            assertFalse(f.storage.exists(StorageUri.parse(RenderKeys.chunkDone(prefix, 1))));
            RenderStatus s = ProgressReader.read(f.storage, prefix);
            assertNotNull(s.errors().stream().filter(e -> e.code().equals("CAPTURE_FAILED")).findFirst().orElse(null),
                    "the retryable attempt is recorded: " + s);
        }
    }
}
