package dev.hfr.cli;

import dev.hfr.engine.progress.ProgressStore;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderException;
import dev.hfr.model.WorkflowInput;
import dev.hfr.sqs.ProgressReader;
import dev.hfr.sqs.RenderStatus;
import dev.hfr.storage.Storage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What {@code hf progress} and {@code hf cancel} are pointed at, in any mode: a Step Functions execution ARN
 * (its input names the render's prefix), a render's prefix ({@code s3://...} or a local folder), or a render id
 * (looked up through the index the SQS mode writes under the bucket root). Reading it gives the render's
 * {@link ProgressDocument}, with what Step Functions knows and the document cannot (a timed-out or stopped
 * execution, whose steps never ran to say so).
 */
record RenderTarget(String label, @Nullable String prefix, @Nullable String executionArn, @Nullable String renderId) {

    static boolean isExecutionArn(String s) {
        return s.startsWith("arn:aws:states:") || s.startsWith("arn:aws-cn:states:") || s.startsWith("arn:aws-us-gov:states:");
    }

    static RenderTarget resolve(String target, @Nullable String prefix, @Nullable String root, Storage storage,
                                java.util.function.Supplier<SfnClient> sfn) {
        if (prefix != null) {
            return new RenderTarget(target, prefix, null, target);
        }
        if (isExecutionArn(target)) {
            DescribeExecutionResponse d = sfn.get().describeExecution(b -> b.executionArn(target));
            WorkflowInput in;
            try {
                in = ObjectMapper.getDefault().readValue(d.input(), WorkflowInput.class);
            } catch (IOException | RuntimeException e) {
                throw new RenderException(ErrorCode.INVALID_EVENT, "execution " + target
                        + " has no readable workflow input (PlanOutputS3Prefix): " + e.getMessage(), e);
            }
            if (in == null || in.planOutputS3Prefix() == null) {
                throw new RenderException(ErrorCode.INVALID_EVENT, "execution " + target + " input has no PlanOutputS3Prefix");
            }
            return new RenderTarget(target, in.planOutputS3Prefix(), target, in.renderId());
        }
        if (target.startsWith("s3://") || target.startsWith("/") || target.startsWith("./") || target.startsWith("../")) {
            return new RenderTarget(target, target, null, null);
        }
        String r = root != null ? root : bucketRoot();
        Optional<String> p = ProgressReader.prefixOf(storage, r, target);
        // no index yet: the request may still be waiting on the queue (a mistyped id looks the same)
        return new RenderTarget(target, p.orElse(null), null, target);
    }

    private static String bucketRoot() {
        String bucket = Cli.settings().storage().allowedBucket();
        if (bucket == null) {
            throw new RenderException(ErrorCode.INVALID_EVENT,
                    "give an execution ARN, a prefix (s3://... or a folder), --root s3://BUCKET, or set HFR_RENDER_BUCKET");
        }
        return "s3://" + bucket;
    }

    /** The document now, merged with the execution's own status; QUEUED when nothing was written yet. */
    ProgressDocument read(Storage storage, java.util.function.Supplier<SfnClient> sfn) {
        if (prefix == null) {
            return ProgressDocument.queued(renderId);
        }
        ProgressDocument doc = new ProgressStore(storage).read(prefix);
        if (doc == null) {
            doc = fromSqsStatus(ProgressReader.read(storage, prefix));
        } else if (!doc.status().terminal()) {
            // The SQS mode ends a render whose retries ran out, or whose messages died (DlqConsumer), in its own
            // status record: no step ran to say so in the document.
            RenderStatus sqs = ProgressReader.read(storage, prefix);
            if (sqs.status() == RenderStatus.Status.FAILED && sqs.failure() != null) {
                doc = ProgressDocument.gaveUp(doc, doc.renderId() != null ? doc.renderId() : sqs.renderId(),
                        sqs.failure().chunk() == null ? "step" : "renderChunk", sqs.failure().code(), sqs.failure().message(),
                        sqs.failure().chunk());
            }
        }
        if (executionArn == null || doc.status().terminal()) {
            return doc;
        }
        DescribeExecutionResponse d = sfn.get().describeExecution(b -> b.executionArn(executionArn));
        ExecutionStatus s = d.status();
        if (s == ExecutionStatus.ABORTED) {
            return ProgressDocument.cancelled(doc, doc.renderId());
        }
        if (s == ExecutionStatus.TIMED_OUT) {
            return ProgressDocument.gaveUp(doc, doc.renderId(), "execution", ErrorCode.TIMEOUT.name(),
                    "the Step Functions execution timed out", null);
        }
        if (s == ExecutionStatus.FAILED) {
            return ProgressDocument.gaveUp(doc, doc.renderId(), "execution", d.error() == null ? "FAILED" : d.error(),
                    d.cause() == null ? "" : d.cause(), null);
        }
        return doc;
    }

    /** State transitions billed so far (Standard workflows bill each state entered). 0 off Step Functions. */
    long stateTransitions(SfnClient sfn) {
        if (executionArn == null) {
            return 0;
        }
        long n = 0;
        for (HistoryEvent e : sfn.getExecutionHistoryPaginator(GetExecutionHistoryRequest.builder()
                .executionArn(executionArn).maxResults(1000).build()).events()) {
            if (e.typeAsString().endsWith("StateEntered")) {
                n++;
            }
        }
        return n;
    }

    /** A render written before the progress document existed (or by an older engine): its SQS record. */
    private static ProgressDocument fromSqsStatus(RenderStatus s) {
        ProgressDocument.Status status = switch (s.status()) {
            case QUEUED -> ProgressDocument.Status.QUEUED;
            case PLANNING -> ProgressDocument.Status.PLANNING;
            case RENDERING -> ProgressDocument.Status.RENDERING;
            case ASSEMBLING -> ProgressDocument.Status.ASSEMBLING;
            case SUCCEEDED -> ProgressDocument.Status.SUCCEEDED;
            case FAILED -> ProgressDocument.Status.FAILED;
        };
        List<ProgressDocument.StepError> errors = s.errors().stream().map(e -> new ProgressDocument.StepError(
                e.chunk() == null ? "step" : "renderChunk", e.code(), e.message(), e.chunk(), false, e.at())).toList();
        ProgressDocument.StepError failure = s.failure() == null ? null : new ProgressDocument.StepError(
                s.failure().chunk() == null ? "step" : "renderChunk", s.failure().code(), s.failure().message(),
                s.failure().chunk(), false, s.failure().at());
        return new ProgressDocument(s.renderId(), status, "sqs", 0, 0, s.chunkCount(), s.chunksDone(), List.of(), errors,
                failure, null, java.util.Map.of(), null, s.outputUri(), null, null, s.createdAt(), s.updatedAt(),
                s.finishedAt(), s.version());
    }
}
