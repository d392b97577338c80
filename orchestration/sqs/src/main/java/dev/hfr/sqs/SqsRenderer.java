package dev.hfr.sqs;

import dev.hfr.engine.Engine;
import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.Step;
import dev.hfr.model.StorageUri;
import dev.hfr.sqs.internal.Claims;
import dev.hfr.sqs.internal.Heartbeat;
import dev.hfr.sqs.internal.Json;
import dev.hfr.sqs.internal.Messages;
import dev.hfr.sqs.internal.QueueAttributes;
import dev.hfr.sqs.internal.SqsKeys;
import dev.hfr.sqs.internal.StatusStore;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.Storage;
import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQS mode wired over one {@link Engine}: builds the three step consumers and holds what they share
 * (status store, claims, queue attributes, the failure policy). One instance per process is enough; it is
 * thread-safe.
 */
public final class SqsRenderer {
    /** SendMessageBatch accepts at most 10 entries. */
    static final int MAX_BATCH = 10;

    private final Engine engine;
    private final SqsClient sqs;
    private final SqsQueues queues;
    private final SqsSettings settings;
    private final StatusStore status;
    private final Claims claims;
    private final QueueAttributes attributes;
    /** The SQS requests the message this thread consumes has cost so far (see {@link #metered}). */
    private final ThreadLocal<Meter> meter = new ThreadLocal<>();

    /** Requests made for one message: its receive, then sends, visibility changes, heartbeats and its delete. */
    private static final class Meter {
        long requests = 1; // the receive that delivered it
        final List<Heartbeat> heartbeats = new ArrayList<>();
        @Nullable String prefix;
    }

    public SqsRenderer(Engine engine, SqsClient sqs, SqsQueues queues, SqsSettings settings) {
        this.engine = engine;
        this.sqs = sqs;
        this.queues = queues;
        this.settings = settings;
        this.status = new StatusStore(engine.storage());
        this.claims = new Claims(engine.storage());
        this.attributes = new QueueAttributes(sqs, (int) settings.defaultVisibility().toSeconds(),
                settings.defaultMaxReceiveCount());
    }

    /** The consumer of {@code step}'s queue. */
    public MessageConsumer consumer(Step step) {
        return switch (step) {
            case PLAN -> planConsumer();
            case RENDER_CHUNK -> chunkConsumer();
            case ASSEMBLE -> assembleConsumer();
        };
    }

    public PlanConsumer planConsumer() {
        return new PlanConsumer(this);
    }

    public ChunkConsumer chunkConsumer() {
        return new ChunkConsumer(this);
    }

    public AssembleConsumer assembleConsumer() {
        return new AssembleConsumer(this);
    }

    public DlqConsumer dlqConsumer() {
        return new DlqConsumer(this);
    }

    /** A started poller of {@code step}'s queue with {@code threads} workers. */
    public QueuePoller poller(Step step, int threads) {
        return new QueuePoller(sqs, queues.urlFor(step), consumer(step), threads,
                settings.receiveWaitSeconds()).start();
    }

    public Engine engine() {
        return engine;
    }

    public SqsQueues queues() {
        return queues;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public SqsSettings settings() {
        return settings;
    }

    // ---------- shared by the consumers ----------

    /**
     * Runs one consumer on one message and adds the SQS requests it made for it to the render's progress document
     * ({@code usage.SqsRequests}, priced by RenderCost): the receive that delivered it, every send (a batch is one
     * request), visibility change and heartbeat, and the delete when the outcome deletes it. A long poll that
     * returned nothing belongs to no render and is not counted. Advisory: a failed write never changes the outcome.
     */
    MessageConsumer.Outcome metered(Delivery d, MessageConsumer work) {
        Meter m = new Meter();
        meter.set(m);
        MessageConsumer.Outcome outcome;
        try {
            outcome = work.consume(d);
        } finally {
            meter.remove();
        }
        long n = m.requests + (outcome.delete() ? 1 : 0) + m.heartbeats.stream().mapToLong(Heartbeat::beats).sum();
        if (m.prefix != null) {
            try {
                new dev.hfr.engine.progress.ProgressStore(storage()).sqsRequests(m.prefix, n);
            } catch (RuntimeException e) {
                StepLog.event("sqs_requests_not_recorded", null, "sqs", null, 0);
            }
        }
        return outcome;
    }

    private void count(long requests) {
        Meter m = meter.get();
        if (m != null) {
            m.requests += requests;
        }
    }

    Storage storage() {
        return engine.storage();
    }

    StatusStore status() {
        return status;
    }

    Claims claims() {
        return claims;
    }

    boolean failed(String prefix) {
        return storage().exists(StorageUri.parse(RenderKeys.failure(prefix)));
    }

    /**
     * The render was cancelled ({@code hf cancel} won against the assemble and wrote {@code cancel.json}): a
     * consumer drops its message instead of working, so no further plan, chunk or assemble runs. The cancel and the
     * assemble's start are ordered in the progress document, so a cancel seen here was never too late.
     */
    boolean cancelled(String prefix, @Nullable String renderId, Step step, @Nullable Integer chunk) {
        if (!storage().exists(StorageUri.parse(RenderKeys.cancel(prefix)))) {
            return false;
        }
        StepLog.event("message_dropped_render_cancelled", renderId, step.wireName(), chunk, 0);
        return true;
    }

    /**
     * With a render bucket configured, a message's prefix must be a render prefix ({@code KeyScope}: a folder under
     * renders/): checked before any claim, status or failure record is written there (S3_URI_NOT_ALLOWED).
     */
    void checkPrefix(String prefix) {
        if (storage() instanceof RoutingStorage routing) {
            routing.checkEventUri("PlanOutputS3Prefix", StorageUri.parse(prefix), RoutingStorage.Role.RENDER_PREFIX, null);
        }
        Meter m = meter.get();
        if (m != null && m.prefix == null) {
            m.prefix = prefix; // a render prefix that passed the guard: the message's requests are billed to it
        }
    }

    /**
     * The render finished for good: its durable assemble record exists ({@link SqsKeys#durableAssembled}, never
     * expired). Every consumer checks it first, so a redelivery or DLQ redrive long after the render's
     * intermediates expired neither plans, renders nor publishes again.
     */
    boolean finished(String prefix, @Nullable String renderId, Step step) {
        if (!storage().exists(StorageUri.parse(SqsKeys.durableAssembled(prefix)))) {
            return false;
        }
        StepLog.event("message_dropped_render_finished", renderId, step.wireName(), null, 0);
        return true;
    }

    Heartbeat heartbeat(Delivery d) {
        Heartbeat hb = Heartbeat.start(sqs, d.queueUrl(), d.receiptHandle(), attributes.of(d.queueUrl()).visibilitySeconds());
        Meter m = meter.get();
        if (m != null) {
            m.heartbeats.add(hb);
        }
        return hb;
    }

    void sendChunks(Messages.RenderContext render, List<Integer> indexes) {
        String url = queues.chunkQueue();
        for (int from = 0; from < indexes.size(); from += MAX_BATCH) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int index : indexes.subList(from, Math.min(indexes.size(), from + MAX_BATCH))) {
                entries.add(SendMessageBatchRequestEntry.builder().id("c" + index)
                        .messageBody(Json.write(new Messages.ChunkMessage(render, index))).build());
            }
            SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            count(1);
            if (!r.failed().isEmpty()) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "SendMessageBatch to " + url + " rejected "
                        + r.failed().size() + " chunk message(s) of render " + render.renderId() + ", first: "
                        + r.failed().get(0).code() + " " + r.failed().get(0).message());
            }
        }
    }

    void sendAssemble(Messages.RenderContext render) {
        sqs.sendMessage(b -> b.queueUrl(queues.assembleQueue()).messageBody(Json.write(new Messages.AssembleMessage(render))));
        count(1);
    }

    /**
     * The failure policy every consumer shares (ErrorCode.retryable() is the table):
     * <ul>
     * <li>a message that names no render cannot fail one: it is left to reach the DLQ;</li>
     * <li>non-retryable: the render fails now (failure marker + status FAILED) and the message is deleted;</li>
     * <li>retryable on the last allowed receive: the render fails, and the message is made visible at once so
     *     SQS moves it to the DLQ;</li>
     * <li>retryable otherwise: the attempt is recorded and the message comes back after the backoff.</li>
     * </ul>
     */
    MessageConsumer.Outcome fail(Delivery d, @Nullable String prefix, @Nullable String renderId,
                                 @Nullable Integer chunk, Step step, Throwable t) {
        RenderException e = RenderException.wrap(t);
        StepLog.Context ctx = new StepLog.Context(step.wireName());
        ctx.renderId(renderId);
        if (chunk != null) {
            ctx.chunk(chunk);
        }
        StepLog.failure(ctx, 0, e);
        try {
            if (prefix == null) {
                visibility(d, e.retryable() ? settings.backoffSeconds(d.receiveCount()) : 0);
                return MessageConsumer.Outcome.RETRY;
            }
            checkPrefix(prefix); // a failure is recorded only under a render prefix (else it ends below, unrecorded)
            if (e.code() == ErrorCode.INTERRUPTED && cancelled(prefix, renderId, step, chunk)) {
                // the step stopped because the render was cancelled: the cancel is its record, not a failure
                return MessageConsumer.Outcome.DROP;
            }
            if (!e.retryable()) {
                failRender(prefix, renderId, e.code(), e.getMessage(), chunk);
                return MessageConsumer.Outcome.DROP;
            }
            QueueAttributes.Info q = attributes.of(d.queueUrl());
            int max = q.maxReceiveCount() > 0 ? q.maxReceiveCount() : settings.defaultMaxReceiveCount();
            if (d.receiveCount() >= max) {
                failRender(prefix, renderId, e.code(), "gave up after " + d.receiveCount() + " attempts: "
                        + e.getMessage(), chunk);
                visibility(d, 0);
                return MessageConsumer.Outcome.RETRY;
            }
            status.attemptFailed(prefix, renderId, e.code(), e.getMessage(), chunk);
            visibility(d, settings.backoffSeconds(d.receiveCount()));
            return MessageConsumer.Outcome.RETRY;
        } catch (RuntimeException inner) {
            RenderException recording = RenderException.wrap(inner);
            StepLog.failure(ctx, 0, recording);
            if (!recording.retryable()) {
                // The failure cannot be recorded where the message says, for a reason no later delivery changes
                // (e.g. its prefix is outside the render bucket): the message ends here, with the log line above as
                // its record, instead of cycling through the DLQ until its retention runs out.
                return MessageConsumer.Outcome.DROP;
            }
            // Storage or SQS is failing too: leave the message; its next delivery runs this policy again.
            return MessageConsumer.Outcome.RETRY;
        }
    }

    void failRender(String prefix, @Nullable String renderId, ErrorCode code, String message, @Nullable Integer chunk) {
        // The marker first: it is what every consumer checks before starting work, so it stops the render sooner.
        storage().writeIfAbsent(StorageUri.parse(RenderKeys.failure(prefix)),
                Json.bytes(new Messages.FailureRecord(code.name(), message, chunk, Instant.now().toString())));
        status.failed(prefix, renderId, code, message, chunk);
    }

    private void visibility(Delivery d, int seconds) {
        if (d.receiptHandle() == null || d.receiptHandle().isBlank()) {
            return;
        }
        sqs.changeMessageVisibility(b -> b.queueUrl(d.queueUrl()).receiptHandle(d.receiptHandle())
                .visibilityTimeout(seconds));
        count(1);
    }

    static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
