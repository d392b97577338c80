package dev.hfr.engine.progress;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderCost;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.RenderProgress;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.Storage;
import dev.hfr.storage.VersionedRecord;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one writer and reader of a render's {@link RenderProgress} ({@code <prefix>/progress.json}) and of its
 * cancel request ({@code <prefix>/cancel.json}). Every change is one of the document's pure updaters applied
 * through a {@link VersionedRecord}, so plan, chunks and assemble may write concurrently from any machine.
 */
public final class ProgressStore {
    private final Storage storage;

    public ProgressStore(Storage storage) {
        this.storage = storage;
    }

    private VersionedRecord<RenderProgress> record(String prefix) {
        return new VersionedRecord<>(storage, RenderProgress.class, StorageUri.parse(RenderKeys.progress(prefix)),
                RenderKeys.progressVersions(prefix), RenderProgress::version, RenderProgress::withVersion);
    }

    public @Nullable RenderProgress update(String prefix, UnaryOperator<RenderProgress> change) {
        return record(prefix).update(change);
    }

    public @Nullable RenderProgress read(String prefix) {
        return record(prefix).read();
    }

    public RenderProgress planning(String prefix, @Nullable String renderId, String mode, @Nullable String outputUri) {
        return update(prefix, p -> RenderProgress.planning(p, renderId, mode, outputUri));
    }

    public RenderProgress planned(String prefix, @Nullable String renderId, List<Integer> chunkFrames, @Nullable String captureMode,
                                  long planMillis) {
        return update(prefix, p -> RenderProgress.planned(p, renderId, chunkFrames, captureMode, planMillis));
    }

    public RenderProgress chunkDone(String prefix, @Nullable String renderId, int index, long millis) {
        return update(prefix, p -> RenderProgress.chunkDone(p, renderId, index, millis));
    }

    public RenderProgress succeeded(String prefix, @Nullable String renderId, String outputUri, @Nullable String posterUri,
                                    @Nullable String contactSheetUri, long assembleMillis) {
        return update(prefix, p -> RenderProgress.succeeded(p, renderId, outputUri, posterUri, contactSheetUri, assembleMillis));
    }

    public RenderProgress failed(String prefix, @Nullable String renderId, String step, ErrorCode code, String message,
                                 @Nullable Integer chunk) {
        return update(prefix, p -> RenderProgress.failed(p, renderId, step, code, message, chunk));
    }

    public RenderProgress gaveUp(String prefix, @Nullable String renderId, String step, String code, String message,
                                 @Nullable Integer chunk) {
        return update(prefix, p -> RenderProgress.gaveUp(p, renderId, step, code, message, chunk));
    }

    public RenderProgress billed(String prefix, @Nullable String renderId, RenderCost.Invocation invocation) {
        return update(prefix, p -> RenderProgress.billed(p, renderId, invocation));
    }

    // ---------- cancellation ----------

    /**
     * Cancels the render unless it is already assembling or over: the progress document is the one place where
     * a cancel and the assemble's start are ordered (both are conditional updates of it), so either the cancel
     * wins and no output is ever published, or the assemble started first and the cancel is refused. When the
     * cancel wins, the marker every running step checks is written. Returns the document after the attempt:
     * {@code CANCELLED} if the cancel took effect (now or earlier), another status if it came too late.
     */
    public RenderProgress requestCancel(String prefix, @Nullable String renderId, String by) {
        RenderProgress after = update(prefix, p -> p != null && p.status().ordinal() >= RenderProgress.Status.ASSEMBLING.ordinal()
                ? null : RenderProgress.cancelled(p, renderId));
        if (after != null && after.status() == RenderProgress.Status.CANCELLED) {
            String body = "{\"requestedAt\":\"" + Instant.now() + "\",\"by\":\"" + by.replace("\"", "'") + "\"}";
            storage.writeIfAbsent(StorageUri.parse(RenderKeys.cancel(prefix)), body.getBytes(StandardCharsets.UTF_8));
        }
        return after;
    }

    /**
     * The assemble's commit point: moves the render to ASSEMBLING, or returns false when it was cancelled first
     * (then the assemble must not publish). A redelivered assemble of an ASSEMBLING render goes on.
     */
    public boolean beginAssemble(String prefix, @Nullable String renderId) {
        RenderProgress after = update(prefix, p -> RenderProgress.assembling(p, renderId));
        return after == null || after.status() != RenderProgress.Status.CANCELLED;
    }

    public boolean cancelRequested(String prefix) {
        return storage.exists(StorageUri.parse(RenderKeys.cancel(prefix)));
    }
}
