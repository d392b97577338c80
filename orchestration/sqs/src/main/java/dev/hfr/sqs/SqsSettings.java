package dev.hfr.sqs;

import dev.hfr.model.Limits;

import java.time.Duration;

/**
 * Tunables of the SQS mode. Visibility timeout and maxReceiveCount are read from the queue's own
 * attributes (VisibilityTimeout, RedrivePolicy) so they cannot drift from the deployed queues; the
 * defaults here apply only when the attributes cannot be read.
 *
 * @param retryBackoffBase       visibility given to a message after its first retryable failure; doubles per receive
 * @param retryBackoffMax        ceiling of that backoff (SQS allows at most 12 hours)
 * @param defaultMaxReceiveCount used when the queue has no RedrivePolicy
 * @param defaultVisibility      used when the queue's VisibilityTimeout cannot be read
 * @param receiveWaitSeconds     long-poll wait of {@link QueuePoller} (1..20)
 */
public record SqsSettings(Duration retryBackoffBase, Duration retryBackoffMax, int defaultMaxReceiveCount,
                          Duration defaultVisibility, int receiveWaitSeconds) {

    public static SqsSettings defaults() {
        return new SqsSettings(Duration.ofSeconds(5), Duration.ofMinutes(15), Limits.MAX_CHUNK_ATTEMPTS,
                Duration.ofSeconds(60), 20);
    }

    public SqsSettings withRetryBackoffBase(Duration base) {
        return new SqsSettings(base, retryBackoffMax, defaultMaxReceiveCount, defaultVisibility, receiveWaitSeconds);
    }

    public SqsSettings withReceiveWaitSeconds(int seconds) {
        return new SqsSettings(retryBackoffBase, retryBackoffMax, defaultMaxReceiveCount, defaultVisibility, seconds);
    }

    /** Visibility after the {@code receiveCount}-th failed receive: base * 2^(n-1), capped. */
    public int backoffSeconds(int receiveCount) {
        long base = Math.max(0, retryBackoffBase.toSeconds());
        long shifted = base << Math.min(20, Math.max(0, receiveCount - 1));
        return (int) Math.min(shifted, Math.min(retryBackoffMax.toSeconds(), 43_200));
    }
}
