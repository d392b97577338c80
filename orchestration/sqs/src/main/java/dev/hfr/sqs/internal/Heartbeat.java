package dev.hfr.sqs.internal;

import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a message hidden while a long step works on it: every visibility/3 it sets the message's visibility
 * back to the full timeout, so SQS does not hand the same chunk to a second worker mid-render. A failed
 * extension is only counted: the worst case is a duplicate render, which the completion markers absorb.
 */
public final class Heartbeat implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "hfr-sqs-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> task;
    private final AtomicInteger beats = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    private Heartbeat(SqsClient sqs, String queueUrl, String receiptHandle, int visibilitySeconds) {
        long periodMillis = Math.max(200, visibilitySeconds * 1000L / 3);
        this.task = TIMER.scheduleAtFixedRate(() -> {
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle)
                        .visibilityTimeout(visibilitySeconds));
                beats.incrementAndGet();
            } catch (RuntimeException e) {
                failures.incrementAndGet();
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    public static Heartbeat start(SqsClient sqs, String queueUrl, String receiptHandle, int visibilitySeconds) {
        return new Heartbeat(sqs, queueUrl, receiptHandle, Math.max(1, visibilitySeconds));
    }

    public int beats() {
        return beats.get();
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
