package dev.hfr.sqs;

/**
 * One step's handling of one SQS message. The same implementations run under {@link QueuePoller}
 * and under {@link SqsLambdaBatch}; neither ever sees an exception from them.
 */
@FunctionalInterface
public interface MessageConsumer {

    Outcome consume(Delivery delivery);

    /** What the caller does with the message afterwards. */
    enum Outcome {
        /** Work done (or already done earlier): delete the message. */
        DONE,
        /** Nothing to do, e.g. the render already failed or another message owns the work: delete it. */
        DROP,
        /** Leave it on the queue; its visibility was already set to the backoff (or 0 to reach the DLQ). */
        RETRY;

        public boolean delete() {
            return this != RETRY;
        }
    }
}
