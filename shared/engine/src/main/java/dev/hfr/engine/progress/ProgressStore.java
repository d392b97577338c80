package dev.hfr.engine.progress;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderCost;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.Storage;
import dev.hfr.storage.VersionedRecord;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one writer and reader of a render's {@link ProgressDocument} ({@code <prefix>/progress.json}) and of its
 * cancel request ({@code <prefix>/cancel.json}). Every change is one of the document's pure updaters applied
 * through a {@link VersionedRecord}, so plan, chunks and assemble may write concurrently from any machine.
 */
public final class ProgressStore {
    private final Storage storage;

    public ProgressStore(Storage storage) {
        this.storage = storage;
    }

    private VersionedRecord<ProgressDocument> record(String prefix) {
        return new VersionedRecord<>(storage, ProgressDocument.class, StorageUri.parse(RenderKeys.progress(prefix)),
                RenderKeys.progressVersions(prefix), ProgressDocument::version, ProgressDocument::withVersion);
    }

    public @Nullable ProgressDocument update(String prefix, UnaryOperator<ProgressDocument> change) {
        return record(prefix).update(change);
    }

    public @Nullable ProgressDocument read(String prefix) {
        return record(prefix).read();
    }

    public ProgressDocument planning(String prefix, @Nullable String renderId, String mode, @Nullable String outputUri) {
        return update(prefix, p -> ProgressDocument.planning(p, renderId, mode, outputUri));
    }

    public ProgressDocument planned(String prefix, @Nullable String renderId, List<Integer> chunkFrames, @Nullable String captureMode,
                                  long planMillis) {
        return update(prefix, p -> ProgressDocument.planned(p, renderId, chunkFrames, captureMode, planMillis));
    }

    public ProgressDocument chunkDone(String prefix, @Nullable String renderId, int index, long millis) {
        return update(prefix, p -> ProgressDocument.chunkDone(p, renderId, index, millis));
    }

    public ProgressDocument succeeded(String prefix, @Nullable String renderId, String outputUri, @Nullable String posterUri,
                                    @Nullable String contactSheetUri, long assembleMillis) {
        return update(prefix, p -> ProgressDocument.succeeded(p, renderId, outputUri, posterUri, contactSheetUri, assembleMillis));
    }

    public ProgressDocument failed(String prefix, @Nullable String renderId, String step, ErrorCode code, String message,
                                 @Nullable Integer chunk) {
        return update(prefix, p -> ProgressDocument.failed(p, renderId, step, code, message, chunk));
    }

    public ProgressDocument gaveUp(String prefix, @Nullable String renderId, String step, String code, String message,
                                 @Nullable Integer chunk) {
        return update(prefix, p -> ProgressDocument.gaveUp(p, renderId, step, code, message, chunk));
    }

    public ProgressDocument billed(String prefix, @Nullable String renderId, RenderCost.Invocation invocation) {
        return update(prefix, p -> ProgressDocument.billed(p, renderId, invocation));
    }

    /** Adds the SQS requests a consumer made for one of the render's messages (nothing without a document). */
    public @Nullable ProgressDocument sqsRequests(String prefix, long requests) {
        return update(prefix, p -> ProgressDocument.sqsRequests(p, requests));
    }

    // ---------- cancellation ----------

    /**
     * Cancels the render unless it is already assembling or over: the progress document is the one place where
     * a cancel and the assemble's start are ordered (both are conditional updates of it), so either the cancel
     * wins and no output is ever published, or the assemble started first and the cancel is refused. When the
     * cancel wins, the marker every running step checks is written. Returns the document after the attempt:
     * {@code CANCELLED} if the cancel took effect (now or earlier), another status if it came too late.
     */
    public ProgressDocument requestCancel(String prefix, @Nullable String renderId, String by) {
        ProgressDocument after = update(prefix, p -> p != null && p.status().ordinal() >= ProgressDocument.Status.ASSEMBLING.ordinal()
                ? null : ProgressDocument.cancelled(p, renderId));
        if (after != null && after.status() == ProgressDocument.Status.CANCELLED) {
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
        ProgressDocument after = update(prefix, p -> ProgressDocument.assembling(p, renderId));
        return after == null || after.status() != ProgressDocument.Status.CANCELLED;
    }

    public boolean cancelRequested(String prefix) {
        return storage.exists(StorageUri.parse(RenderKeys.cancel(prefix)));
    }
}
