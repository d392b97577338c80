package dev.hfr.sqs;

import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import dev.hfr.model.StorageUri;
import dev.hfr.model.WorkflowInput;
import dev.hfr.sqs.internal.Heartbeat;
import dev.hfr.sqs.internal.Json;
import dev.hfr.sqs.internal.Messages;
import dev.hfr.sqs.internal.SqsKeys;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Consumes a render request (body: the WorkflowInput JSON): claims the prefix, writes the index object and
 * the status record, plans, and releases the first {@code maxParallelChunks} chunk messages.
 *
 * <p>The plan claim holds the request's message id: a redelivery of the same request (crash anywhere
 * before the delete) plans again and re-sends the first chunk messages, which the chunk consumers absorb
 * as duplicates; a second request for the same prefix (another message id) is dropped. One prefix is one
 * render.
 */
public final class PlanConsumer implements MessageConsumer {
    private final SqsRenderer r;

    PlanConsumer(SqsRenderer r) {
        this.r = r;
    }

    @Override
    public Outcome consume(Delivery d) {
        return r.metered(d, this::work);
    }

    private Outcome work(Delivery d) {
        WorkflowInput in;
        try {
            in = Json.read(d.body(), WorkflowInput.class, "render request " + d.messageId());
        } catch (RuntimeException e) {
            return r.fail(d, null, null, null, Step.PLAN, e);
        }
        String prefix = in.planOutputS3Prefix() == null || in.planOutputS3Prefix().isBlank() ? null : in.planOutputS3Prefix();
        String renderId = in.renderId() == null || in.renderId().isBlank()
                ? RenderRequests.renderIdForMessage(d.messageId()) : in.renderId();
        try {
            RenderRequests.requireFields(in);
        } catch (RuntimeException e) {
            // With a prefix the render can be failed visibly (hf progress shows why); without one it goes to the DLQ.
            return r.fail(d, prefix, renderId, null, Step.PLAN, e);
        }
        long t0 = System.nanoTime();
        try {
            r.checkPrefix(prefix);
            if (r.finished(prefix, renderId, Step.PLAN) || r.failed(prefix) || r.cancelled(prefix, renderId, Step.PLAN, null)) {
                return Outcome.DROP;
            }
            if (!r.claims().claim(SqsKeys.planClaim(prefix), d.messageId()).ours()) {
                StepLog.event("plan_duplicate_dropped", renderId, Step.PLAN.wireName(), null, 0);
                return Outcome.DROP;
            }
            StorageUri index = SqsKeys.index(prefix, renderId);
            if (!r.storage().writeIfAbsent(index, Json.bytes(
                    new Messages.RenderIndex(renderId, prefix, in.outputS3Uri(), Instant.now().toString())))) {
                // a RenderId names one render for good: a second request cannot re-point hf progress RENDER_ID
                Messages.RenderIndex existing = Json.read(r.storage().read(index), Messages.RenderIndex.class, index.toString());
                if (!prefix.equals(existing.prefix())) {
                    throw new RenderException(ErrorCode.INVALID_EVENT, "RenderId " + renderId + " already names the render at "
                            + existing.prefix() + "; a request for " + prefix + " needs another RenderId (or none)");
                }
            }
            r.status().planning(prefix, renderId, in.outputS3Uri());
            StorageUri planned = StorageUri.parse(SqsKeys.renderContext(prefix));
            Messages.RenderContext ctx;
            if (r.storage().exists(planned)) {
                // A redelivery after the plan was written: do not plan again (a new plan could change the
                // hash under chunks already in flight); just make sure the first chunk messages went out.
                ctx = Json.read(r.storage().read(planned), Messages.RenderContext.class, planned.toString());
            } else {
                ctx = plan(d, in, prefix, renderId);
                if (!r.storage().writeIfAbsent(planned, Json.bytes(ctx))) {
                    ctx = Json.read(r.storage().read(planned), Messages.RenderContext.class, planned.toString());
                }
            }
            r.status().rendering(prefix, renderId, ctx.chunkCount());
            List<Integer> first = IntStream.range(0, ctx.maxParallelChunks()).boxed().toList();
            r.sendChunks(ctx, first);
            StepLog.event("plan_fanned_out", renderId, Step.PLAN.wireName(), null, SqsRenderer.millisSince(t0));
            return Outcome.DONE;
        } catch (RuntimeException e) {
            return r.fail(d, prefix, renderId, null, Step.PLAN, e);
        }
    }

    private Messages.RenderContext plan(Delivery d, WorkflowInput in, String prefix, String renderId) {
        PlanEvent event = new PlanEvent(Step.PLAN.wireName(), in.projectS3Uri(), prefix, in.outputS3Uri(), in.config(), renderId, in.webhook());
        PlanResult plan;
        try (Heartbeat hb = r.heartbeat(d)) {
            plan = r.engine().plan().plan(event);
        }
        if (plan.chunkCount() <= 0) {
            throw new RenderException(ErrorCode.PLAN_TOO_LARGE, "the plan of " + prefix + " has "
                    + plan.chunkCount() + " chunks: expected at least 1");
        }
        // the plan resolved the concurrency once (Config.maxParallelChunks or the default): release that many
        int parallel = Math.max(1, Math.min(plan.chunkCount(), plan.maxParallelChunks()));
        return new Messages.RenderContext(renderId, prefix, plan.planManifestS3Uri(), plan.planHash(),
                plan.chunkCount(), parallel, in.outputS3Uri(), plan.format());
    }
}
