package dev.hfr.sqs;

/**
 * One received SQS message, as both the poller and the Lambda event give it.
 *
 * @param receiveCount SQS ApproximateReceiveCount: 1 on the first delivery
 */
public record Delivery(String queueUrl, String messageId, String receiptHandle, String body, int receiveCount) {
}
