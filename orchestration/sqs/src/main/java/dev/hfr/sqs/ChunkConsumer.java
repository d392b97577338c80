package dev.hfr.sqs;

import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.Step;
import dev.hfr.model.StorageUri;
import dev.hfr.sqs.internal.Heartbeat;
import dev.hfr.sqs.internal.Json;
import dev.hfr.sqs.internal.Messages;
import dev.hfr.sqs.internal.SqsKeys;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * Consumes one chunk message: renders the chunk unless its completion marker exists, writes the marker with
 * writeIfAbsent, then runs the after-completion steps, which are all idempotent and also run for a
 * duplicate or redelivered message whose chunk is already done:
 * <ol>
 * <li>release chunk {@code index + maxParallelChunks} (claimed by a "released" marker holding this message id);</li>
 * <li>count the completion markers and record them in the status;</li>
 * <li>if all are present and the render has not failed, claim {@code assemble.lock} and, if ours (taken now,
 *     or taken earlier by this same message before a crash), send the assemble message.</li>
 * </ol>
 * Every worker writes its marker before it lists, so the worker that writes the last marker always sees all
 * of them: the assemble cannot be missed, and the lock makes it single.
 */
public final class ChunkConsumer implements MessageConsumer {
    private static final String DONE_SUFFIX = ".done.json";
    private final SqsRenderer r;

    ChunkConsumer(SqsRenderer r) {
        this.r = r;
    }

    @Override
    public Outcome consume(Delivery d) {
        return r.metered(d, this::work);
    }

    private Outcome work(Delivery d) {
        Messages.ChunkMessage m;
        try {
            m = Json.read(d.body(), Messages.ChunkMessage.class, "chunk message " + d.messageId());
            if (m.render() == null || m.render().prefix() == null) {
                throw new RenderException(ErrorCode.INVALID_EVENT, "chunk message " + d.messageId()
                        + " has no Render.PlanOutputS3Prefix");
            }
        } catch (RuntimeException e) {
            return r.fail(d, null, null, null, Step.RENDER_CHUNK, e);
        }
        Messages.RenderContext c = m.render();
        int index = m.chunkIndex();
        long t0 = System.nanoTime();
        try {
            if (index < 0 || index >= c.chunkCount()) {
                throw new RenderException(ErrorCode.CHUNK_INDEX_OUT_OF_RANGE, "chunk message " + d.messageId()
                        + " has ChunkIndex " + index + ": expected 0.." + (c.chunkCount() - 1));
            }
            r.checkPrefix(c.prefix());
            if (r.finished(c.prefix(), c.renderId(), Step.RENDER_CHUNK)) {
                return Outcome.DROP;
            }
            if (r.failed(c.prefix())) {
                StepLog.event("chunk_dropped_render_failed", c.renderId(), Step.RENDER_CHUNK.wireName(), index, 0);
                return Outcome.DROP;
            }
            if (r.cancelled(c.prefix(), c.renderId(), Step.RENDER_CHUNK, index)) {
                return Outcome.DROP;
            }
            StorageUri done = StorageUri.parse(RenderKeys.chunkDone(c.prefix(), index));
            if (!r.storage().exists(done)) {
                RenderChunkResult result;
                try (Heartbeat hb = r.heartbeat(d)) {
                    result = r.engine().renderChunk().renderChunk(c.chunkEvent(index));
                }
                r.storage().writeIfAbsent(done, Json.bytes(new Messages.ChunkDone(index, result.chunkS3Uri(),
                        result.sha256(), d.messageId(), Instant.now().toString())));
                StepLog.event("chunk_done", c.renderId(), Step.RENDER_CHUNK.wireName(), index, SqsRenderer.millisSince(t0));
            }
            afterChunkDone(d, c, index);
            return Outcome.DONE;
        } catch (RuntimeException e) {
            return r.fail(d, c.prefix(), c.renderId(), index, Step.RENDER_CHUNK, e);
        }
    }

    private void afterChunkDone(Delivery d, Messages.RenderContext c, int index) {
        if (r.failed(c.prefix()) || r.cancelled(c.prefix(), c.renderId(), Step.RENDER_CHUNK, index)) {
            return; // a chunk that was in flight when the render failed or was cancelled: release nothing more
        }
        int next = index + c.maxParallelChunks();
        if (next < c.chunkCount() && r.claims().claim(SqsKeys.released(c.prefix(), next), d.messageId()).ours()) {
            r.sendChunks(c, List.of(next));
        }
        int observed = doneIndexes(r, c).size();
        r.status().chunksObserved(c.prefix(), c.renderId(), observed);
        if (observed >= c.chunkCount() && !r.failed(c.prefix())
                && r.claims().claim(RenderKeys.assembleLock(c.prefix()), d.messageId()).ours()) {
            r.status().assembling(c.prefix(), c.renderId(), c.chunkCount());
            r.sendAssemble(c);
            StepLog.event("assemble_enqueued", c.renderId(), Step.RENDER_CHUNK.wireName(), index, 0);
        }
    }

    /** Indexes of the completion markers present, one listing of the chunks prefix. */
    static TreeSet<Integer> doneIndexes(SqsRenderer r, Messages.RenderContext c) {
        TreeSet<Integer> done = new TreeSet<>();
        for (StorageUri u : r.storage().list(StorageUri.parse(RenderKeys.chunksPrefix(c.prefix())))) {
            String name = u.name();
            if (name.endsWith(DONE_SUFFIX)) {
                try {
                    int i = Integer.parseInt(name.substring(0, name.length() - DONE_SUFFIX.length()));
                    if (i >= 0 && i < c.chunkCount()) {
                        done.add(i);
                    }
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            }
        }
        return done;
    }
}
