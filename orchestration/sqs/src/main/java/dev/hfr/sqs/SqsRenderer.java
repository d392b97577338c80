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
import dev.hfr.sqs.internal.StatusStore;
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

    Heartbeat heartbeat(Delivery d) {
        return Heartbeat.start(sqs, d.queueUrl(), d.receiptHandle(), attributes.of(d.queueUrl()).visibilitySeconds());
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
            if (!r.failed().isEmpty()) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "SendMessageBatch to " + url + " rejected "
                        + r.failed().size() + " chunk message(s) of render " + render.renderId() + ", first: "
                        + r.failed().get(0).code() + " " + r.failed().get(0).message());
            }
        }
    }

    void sendAssemble(Messages.RenderContext render) {
        sqs.sendMessage(b -> b.queueUrl(queues.assembleQueue()).messageBody(Json.write(new Messages.AssembleMessage(render))));
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
    }

    static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
