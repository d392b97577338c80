package dev.hfr.sqs;

import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.Step;
import dev.hfr.model.WorkflowInput;
import dev.hfr.sqs.RenderStatus.RenderError;
import dev.hfr.sqs.internal.Json;
import dev.hfr.sqs.internal.Messages;

import java.util.List;
import java.util.Map;

/**
 * Consumes a dead-letter queue (any of the three: request, chunk or assemble bodies are told apart by
 * their fields) and marks the message's render FAILED. The failing consumer normally records FAILED itself
 * on the last receive; this covers messages whose last receive never reached our code (a worker killed, a
 * Lambda timeout), with the last error the status recorded for that chunk, or TIMEOUT when there is none.
 * Processed messages are deleted from the DLQ: do not run it where operators want to inspect the DLQ.
 */
public final class DlqConsumer implements MessageConsumer {
    private final SqsRenderer r;

    DlqConsumer(SqsRenderer r) {
        this.r = r;
    }

    @Override
    public Outcome consume(Delivery d) {
        String prefix;
        String renderId;
        Integer chunk = null;
        String step;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> raw = Json.read(d.body(), Map.class, "dead-letter message " + d.messageId());
            if (raw.containsKey("Render")) {
                if (raw.containsKey("ChunkIndex")) {
                    Messages.ChunkMessage m = Json.read(d.body(), Messages.ChunkMessage.class, "dead chunk message");
                    prefix = m.render().prefix();
                    renderId = m.render().renderId();
                    chunk = m.chunkIndex();
                    step = Step.RENDER_CHUNK.wireName();
                } else {
                    Messages.AssembleMessage m = Json.read(d.body(), Messages.AssembleMessage.class, "dead assemble message");
                    prefix = m.render().prefix();
                    renderId = m.render().renderId();
                    step = Step.ASSEMBLE.wireName();
                }
            } else {
                WorkflowInput in = Json.read(d.body(), WorkflowInput.class, "dead render request");
                prefix = in.planOutputS3Prefix();
                renderId = in.renderId() == null ? RenderRequests.renderIdForMessage(d.messageId()) : in.renderId();
                step = Step.PLAN.wireName();
            }
        } catch (RuntimeException e) {
            StepLog.event("dlq_unreadable_dropped", null, "dlq", null, 0);
            return Outcome.DROP;
        }
        if (prefix == null) {
            return Outcome.DROP;
        }
        try {
            RenderStatus s = r.status().read(prefix);
            ErrorCode code = ErrorCode.TIMEOUT;
            String message = step + " message " + d.messageId() + " reached the dead-letter queue after "
                    + d.receiveCount() + " receive(s) with no recorded error (worker killed or timed out)";
            if (s != null) {
                List<RenderError> errors = s.errors();
                for (int i = errors.size() - 1; i >= 0; i--) {
                    RenderError e = errors.get(i);
                    if (chunk == null ? e.chunk() == null : chunk.equals(e.chunk())) {
                        code = ErrorCode.fromName(e.code());
                        message = step + " message " + d.messageId() + " reached the dead-letter queue; last error: "
                                + e.message();
                        break;
                    }
                }
            }
            r.failRender(prefix, renderId, code, message, chunk);
            return Outcome.DONE;
        } catch (RuntimeException e) {
            return Outcome.RETRY;
        }
    }
}
