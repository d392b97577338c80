package dev.hfr.sqs;

import dev.hfr.model.RenderConfig;
import dev.hfr.model.WorkflowInput;
import dev.hfr.storage.S3Storage;
import dev.hfr.storage.testing.LocalStack;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** One test's world on LocalStack: a bucket, three queues each with its own DLQ, and pollers to stop. */
final class SqsFixture implements AutoCloseable {
    final LocalStack ls = LocalStack.require();
    final SqsClient sqs = ls.sqs();
    final String bucket = ls.createBucket("sqs-test");
    final S3Storage storage = new S3Storage(ls.s3());
    final String name = "t" + UUID.randomUUID().toString().substring(0, 8);
    final String requestQueue;
    final String chunkQueue;
    final String assembleQueue;
    final String requestDlq;
    final String chunkDlq;
    final String assembleDlq;
    private final List<QueuePoller> pollers = new ArrayList<>();

    SqsFixture(int visibilitySeconds, int maxReceiveCount) {
        requestDlq = queue(name + "-req-dlq", Map.of());
        chunkDlq = queue(name + "-chunk-dlq", Map.of());
        assembleDlq = queue(name + "-asm-dlq", Map.of());
        requestQueue = queue(name + "-req", redrive(requestDlq, visibilitySeconds, maxReceiveCount));
        chunkQueue = queue(name + "-chunk", redrive(chunkDlq, visibilitySeconds, maxReceiveCount));
        assembleQueue = queue(name + "-asm", redrive(assembleDlq, visibilitySeconds, maxReceiveCount));
    }

    /** {@code sample-events/<name>} with this fixture's bucket in place of the samples' placeholder bucket. */
    String sampleEvent(String name) throws IOException {
        return Files.readString(Path.of(System.getProperty("hfr.repo.root", "../.."), "sample-events", name))
                .replace("example-bucket", bucket);
    }

    SqsQueues queues() {
        return new SqsQueues(requestQueue, chunkQueue, assembleQueue);
    }

    /** Settings for tests: 1 s long polls (quick stop), 1 s base backoff. */
    static SqsSettings settings() {
        return SqsSettings.defaults().withRetryBackoffBase(Duration.ofSeconds(1)).withReceiveWaitSeconds(1);
    }

    SqsRenderer renderer(ScriptedSteps steps) {
        return new SqsRenderer(steps.engine(), sqs, queues(), settings());
    }

    QueuePoller poll(String queueUrl, MessageConsumer consumer, int threads) {
        QueuePoller p = new QueuePoller(sqs, queueUrl, consumer, threads, 1).start();
        pollers.add(p);
        return p;
    }

    /** Plan, chunk and assemble pollers with {@code threads} workers each. */
    void pollAll(SqsRenderer r, int threads) {
        poll(requestQueue, r.planConsumer(), threads);
        poll(chunkQueue, r.chunkConsumer(), threads);
        poll(assembleQueue, r.assembleConsumer(), threads);
    }

    WorkflowInput input(String render, int chunkSize, Integer maxParallelChunks) {
        RenderConfig c = new RenderConfig(30, 64, 36, "mp4", null, null, null, null, chunkSize, maxParallelChunks, null,
                null, null, null, null, null, null, null, null);
        return new WorkflowInput("s3://" + bucket + "/projects/" + render + ".tar.gz", "s3://" + bucket + "/renders/" + render,
                "s3://" + bucket + "/outputs/" + render + ".mp4", c, null, null);
    }

    String prefix(WorkflowInput in) {
        return in.planOutputS3Prefix();
    }

    /** Messages visible plus in flight. */
    int depth(String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    RenderStatus awaitStatus(String prefix, RenderStatus.Status wanted, Duration timeout) {
        return await(timeout, () -> {
            RenderStatus s = ProgressReader.read(storage, prefix);
            return s.status() == wanted ? s : null;
        }, () -> "status " + wanted + " of " + prefix + "; last: " + ProgressReader.read(storage, prefix));
    }

    /** Polls {@code probe} every 100 ms until it returns non-null; fails with {@code what} at the deadline. */
    static <T> T await(Duration timeout, Supplier<T> probe, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private String queue(String queueName, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(b -> b.queueName(queueName).attributes(attributes)).queueUrl();
    }

    private Map<QueueAttributeName, String> redrive(String dlqUrl, int visibilitySeconds, int maxReceiveCount) {
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilitySeconds),
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}");
    }

    @Override
    public void close() {
        pollers.forEach(QueuePoller::requestStop);
        pollers.forEach(QueuePoller::stop);
        for (String q : List.of(requestQueue, chunkQueue, assembleQueue, requestDlq, chunkDlq, assembleDlq)) {
            try {
                sqs.deleteQueue(b -> b.queueUrl(q));
            } catch (RuntimeException ignored) {
                // best effort: queue names are unique per test
            }
        }
    }
}
