package dev.hfr.sqs;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SQS client that sends every message for the given queues twice (two distinct messages with the
 * same body), the at-least-once delivery the protocol must absorb; and, when {@link #failFirstSendTo} is
 * set, fails the first send to that queue the way a worker crash between two steps would. Our own
 * wrapper, not an AWS fake.
 */
final class DuplicatingSqs implements SqsClient {
    private final SqsClient delegate;
    private final List<String> duplicatedQueues;
    final AtomicInteger duplicated = new AtomicInteger();
    final AtomicInteger failedSends = new AtomicInteger();
    volatile String failFirstSendTo;

    DuplicatingSqs(SqsClient delegate, List<String> duplicatedQueues) {
        this.delegate = delegate;
        this.duplicatedQueues = duplicatedQueues;
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        if (request.queueUrl().equals(failFirstSendTo) && failedSends.getAndIncrement() == 0) {
            throw software.amazon.awssdk.core.exception.SdkClientException.create("scripted: worker died before sending");
        }
        SendMessageResponse r = delegate.sendMessage(request);
        if (duplicatedQueues.contains(request.queueUrl())) {
            delegate.sendMessage(request);
            duplicated.incrementAndGet();
        }
        return r;
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        SendMessageBatchResponse r = delegate.sendMessageBatch(request);
        if (duplicatedQueues.contains(request.queueUrl())) {
            for (SendMessageBatchRequestEntry e : request.entries()) {
                delegate.sendMessage(b -> b.queueUrl(request.queueUrl()).messageBody(e.messageBody()));
                duplicated.incrementAndGet();
            }
        }
        return r;
    }

    @Override
    public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
        return delegate.receiveMessage(request);
    }

    @Override
    public DeleteMessageResponse deleteMessage(DeleteMessageRequest request) {
        return delegate.deleteMessage(request);
    }

    @Override
    public ChangeMessageVisibilityResponse changeMessageVisibility(ChangeMessageVisibilityRequest request) {
        return delegate.changeMessageVisibility(request);
    }

    @Override
    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        return delegate.getQueueAttributes(request);
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        // the delegate belongs to the fixture
    }
}
