package dev.hfr.sqs;

import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.RenderException;
import io.micronaut.serde.ObjectMapper;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@link MessageConsumer} in this JVM: {@code threads} workers, each long-polling one message at a
 * time (so {@code threads} is also the number of messages in flight), deleting it on DONE/DROP and leaving
 * it on RETRY. The consumers are the ones {@link SqsLambdaBatch} calls.
 */
public final class QueuePoller implements AutoCloseable {
    private final SqsClient sqs;
    private final String queueUrl;
    private final MessageConsumer consumer;
    private final int threads;
    private final int waitSeconds;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong handled = new AtomicLong();
    private volatile boolean running;
    private volatile boolean taskLog;

    public QueuePoller(SqsClient sqs, String queueUrl, MessageConsumer consumer, int threads, int waitSeconds) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.consumer = consumer;
        this.threads = threads;
        this.waitSeconds = Math.max(0, Math.min(20, waitSeconds));
    }

    public synchronized QueuePoller start() {
        if (running) {
            return this;
        }
        running = true;
        String name = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::loop, "hfr-sqs-" + name + "-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        return this;
    }

    /** Stops receiving without waiting (stop several pollers at once, then {@link #stop()} each). */
    public void requestStop() {
        running = false;
    }

    /** Stops receiving; waits for the messages in hand to finish (at most the long-poll wait plus 30 s). */
    public synchronized void stop() {
        running = false;
        long deadline = System.nanoTime() + (waitSeconds + 30L) * 1_000_000_000L;
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        workers.clear();
    }

    @Override
    public void close() {
        stop();
    }

    /** Messages handled so far (any outcome). */
    public long handled() {
        return handled.get();
    }

    private void loop() {
        while (running) {
            ReceiveMessageResponse resp;
            try {
                resp = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(waitSeconds)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            } catch (RuntimeException e) {
                if (running) {
                    log(e);
                    pause();
                }
                continue;
            }
            for (Message m : resp.messages()) {
                handle(m);
            }
        }
    }

    private void handle(Message m) {
        String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        Delivery d = new Delivery(queueUrl, m.messageId(), m.receiptHandle(), m.body(),
                count == null ? 1 : Integer.parseInt(count));
        MessageConsumer.Outcome outcome;
        long t0 = System.nanoTime();
        try {
            outcome = consumer.consume(d);
        } catch (RuntimeException | Error e) {
            // The consumers handle their own failures; this is a bug or an Error: leave the message.
            log(e);
            outcome = MessageConsumer.Outcome.RETRY;
        }
        handled.incrementAndGet();
        if (taskLog) {
            MessageIds ids = MessageIds.of(d);
            StepLog.task("sqs", queueName(), ids.renderId(), ids.chunk(), (System.nanoTime() - t0) / 1_000_000,
                    outcome.name().toLowerCase(Locale.ROOT), null);
        }
        if (outcome.delete()) {
            try {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            } catch (RuntimeException e) {
                log(e); // redelivered later; every consumer is idempotent
            }
        }
    }

    /** One {@link StepLog#task} line per message handled (hf worker turns it on; tests and Lambda leave it off). */
    public QueuePoller logEachTask() {
        this.taskLog = true;
        return this;
    }

    private String queueName() {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    /** Render id and chunk index of a request, chunk or assemble body; nulls when absent or unreadable. */
    record MessageIds(String renderId, Integer chunk) {
        static MessageIds of(Delivery d) {
            try {
                Object node = ObjectMapper.getDefault().readValue(d.body(), Object.class);
                if (node instanceof Map<?, ?> m) {
                    Object render = m.get("Render");
                    Object id = render instanceof Map<?, ?> r ? r.get("RenderId") : m.get("RenderId");
                    if (id == null && m.containsKey("ProjectS3Uri") && d.messageId() != null) {
                        id = RenderRequests.renderIdForMessage(d.messageId()); // a request names its render so
                    }
                    Object chunk = m.get("ChunkIndex");
                    return new MessageIds(id instanceof String s ? s : null, chunk instanceof Number n ? n.intValue() : null);
                }
            } catch (IOException | RuntimeException e) {
                // the consumer reports an unreadable body itself; the log line just lacks the ids
            }
            return new MessageIds(null, null);
        }
    }

    private void log(Throwable e) {
        StepLog.failure(new StepLog.Context("sqs-poller"), 0, RenderException.wrap(e));
    }

    private void pause() {
        // After a failed receive (network, throttling): avoid a tight loop without blocking stop() for long.
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
