package dev.hfr.sqs;

import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.Step;
import dev.hfr.model.StorageUri;
import dev.hfr.sqs.internal.Heartbeat;
import dev.hfr.sqs.internal.Json;
import dev.hfr.sqs.internal.Messages;
import dev.hfr.sqs.internal.SqsKeys;
import dev.hfr.storage.StorageNotFoundException;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the assemble message of a render. Idempotent in four layers: a render whose durable record
 * ({@code records/<prefix>/assembled.json}, never expired) exists is dropped at once; a render whose assemble result is
 * recorded ({@code <prefix>/sqs/assembled.json}) only gets its status set to SUCCEEDED again; the assemble
 * step runs only for the message holding {@code <prefix>/sqs/assemble.run.json} (its own redeliveries may
 * retry, a duplicate message is dropped); and the engine's assemble step itself publishes the output once
 * and does not rewrite an existing complete output.
 */
public final class AssembleConsumer implements MessageConsumer {
    private final SqsRenderer r;

    AssembleConsumer(SqsRenderer r) {
        this.r = r;
    }

    @Override
    public Outcome consume(Delivery d) {
        return r.metered(d, this::work);
    }

    private Outcome work(Delivery d) {
        Messages.AssembleMessage m;
        try {
            m = Json.read(d.body(), Messages.AssembleMessage.class, "assemble message " + d.messageId());
            if (m.render() == null || m.render().prefix() == null) {
                throw new RenderException(ErrorCode.INVALID_EVENT, "assemble message " + d.messageId()
                        + " has no Render.PlanOutputS3Prefix");
            }
        } catch (RuntimeException e) {
            return r.fail(d, null, null, null, Step.ASSEMBLE, e);
        }
        Messages.RenderContext c = m.render();
        long t0 = System.nanoTime();
        try {
            r.checkPrefix(c.prefix());
            if (r.finished(c.prefix(), c.renderId(), Step.ASSEMBLE) || r.failed(c.prefix())
                    || r.cancelled(c.prefix(), c.renderId(), Step.ASSEMBLE, null)) {
                return Outcome.DROP;
            }
            StorageUri assembled = StorageUri.parse(SqsKeys.assembled(c.prefix()));
            if (r.storage().exists(assembled)) {
                AssembleResult done = Json.read(r.storage().read(assembled), AssembleResult.class, assembled.toString());
                r.status().succeeded(c.prefix(), c.renderId(), done.outputS3Uri());
                finish(c, done);
                return Outcome.DONE;
            }
            if (!r.claims().claim(SqsKeys.assembleRun(c.prefix()), d.messageId()).ours()) {
                StepLog.event("assemble_duplicate_dropped", c.renderId(), Step.ASSEMBLE.wireName(), null, 0);
                return Outcome.DROP;
            }
            List<Messages.ChunkDone> done = markers(c);
            List<String> chunkUris = done.stream().map(Messages.ChunkDone::chunkUri).toList();
            List<String> chunkShas = done.stream().map(Messages.ChunkDone::sha256).toList();
            AssembleResult result;
            try (Heartbeat hb = r.heartbeat(d)) {
                result = r.engine().assemble().assemble(c.assembleEvent(chunkUris, chunkShas));
            }
            r.storage().writeIfAbsent(assembled, Json.bytes(result));
            r.status().succeeded(c.prefix(), c.renderId(),
                    result.outputS3Uri() == null ? c.outputUri() : result.outputS3Uri());
            finish(c, result);
            StepLog.event("render_succeeded", c.renderId(), Step.ASSEMBLE.wireName(), null, SqsRenderer.millisSince(t0));
            return Outcome.DONE;
        } catch (RuntimeException e) {
            return r.fail(d, c.prefix(), c.renderId(), null, Step.ASSEMBLE, e);
        }
    }

    /** Last, once published and SUCCEEDED: from now on no message of this render does anything, expiry or not. */
    private void finish(Messages.RenderContext c, AssembleResult result) {
        r.storage().writeIfAbsent(StorageUri.parse(SqsKeys.durableAssembled(c.prefix())), Json.bytes(result));
    }

    /** The completion markers (chunk URI and sha256), in chunk order; every marker must be there. */
    private List<Messages.ChunkDone> markers(Messages.RenderContext c) {
        List<Messages.ChunkDone> uris = new ArrayList<>(c.chunkCount());
        for (int i = 0; i < c.chunkCount(); i++) {
            StorageUri marker = StorageUri.parse(RenderKeys.chunkDone(c.prefix(), i));
            try {
                uris.add(Json.read(r.storage().read(marker), Messages.ChunkDone.class, marker.toString()));
            } catch (StorageNotFoundException e) {
                throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "assemble of render " + c.renderId()
                        + " found no completion marker " + marker + ": expected all " + c.chunkCount() + " chunks done", e);
            }
        }
        return uris;
    }
}
