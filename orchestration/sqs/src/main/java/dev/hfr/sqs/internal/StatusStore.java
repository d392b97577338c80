package dev.hfr.sqs.internal;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import dev.hfr.sqs.RenderStatus;
import dev.hfr.sqs.RenderStatus.RenderError;
import dev.hfr.sqs.RenderStatus.Status;
import dev.hfr.storage.Storage;
import dev.hfr.storage.VersionedRecord;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one writer of a render's {@link RenderStatus}, with optimistic concurrency over the plain
 * {@link Storage} interface (so it works on S3 and local files alike, no ETags needed).
 *
 * <p>Every update is one named, pure updater applied through {@link VersionedRecord} (versions under
 * {@code <prefix>/sqs/status/}, the newest published to {@code <prefix>/status.json}), the same mechanism as the
 * progress document's.
 */
public final class StatusStore {
    private final Storage storage;

    public StatusStore(Storage storage) {
        this.storage = storage;
    }

    // ---------- named updaters ----------

    /** The plan consumer took the request: creates the record (PLANNING) unless it exists. */
    public RenderStatus planning(String prefix, String renderId, @Nullable String outputUri) {
        return update(prefix, s -> s != null ? null : new RenderStatus(renderId, Status.PLANNING, 0, 0, List.of(), null,
                outputUri, now(), now(), null, 0));
    }

    /** The plan is written and the first chunk messages are about to go out. */
    public RenderStatus rendering(String prefix, String renderId, int chunkCount) {
        return update(prefix, s -> {
            RenderStatus b = base(s, renderId, prefix);
            if (b.status().terminal() || b.status().ordinal() >= Status.RENDERING.ordinal()) {
                return null;
            }
            return with(b, Status.RENDERING, chunkCount, b.chunksDone(), b.errors(), null, b.outputUri(), null);
        });
    }

    /** {@code observed} completion markers were seen; chunksDone never decreases. */
    public RenderStatus chunksObserved(String prefix, String renderId, int observed) {
        return update(prefix, s -> {
            RenderStatus b = base(s, renderId, prefix);
            int done = b.chunkCount() > 0 ? Math.min(observed, b.chunkCount()) : observed;
            if (b.status().terminal() || done <= b.chunksDone()) {
                return null;
            }
            return with(b, b.status(), b.chunkCount(), done, b.errors(), null, b.outputUri(), null);
        });
    }

    /** The fan-in claimant is about to enqueue the assemble. */
    public RenderStatus assembling(String prefix, String renderId, int chunkCount) {
        return update(prefix, s -> {
            RenderStatus b = base(s, renderId, prefix);
            if (b.status().terminal() || b.status() == Status.ASSEMBLING) {
                return null;
            }
            return with(b, Status.ASSEMBLING, chunkCount, chunkCount, b.errors(), null, b.outputUri(), null);
        });
    }

    /** The output is published. */
    public RenderStatus succeeded(String prefix, String renderId, String outputUri) {
        return update(prefix, s -> {
            RenderStatus b = base(s, renderId, prefix);
            if (b.status().terminal()) {
                return null;
            }
            return with(b, Status.SUCCEEDED, b.chunkCount(), b.chunkCount(), b.errors(), null, outputUri, now());
        });
    }

    /** A retryable attempt failed; the message goes back to the queue. */
    public RenderStatus attemptFailed(String prefix, String renderId, ErrorCode code, String message,
                                      @Nullable Integer chunk) {
        RenderError e = new RenderError(code.name(), message, chunk, now());
        return update(prefix, s -> {
            RenderStatus b = base(s, renderId, prefix);
            if (b.status().terminal()) {
                return null;
            }
            return with(b, b.status(), b.chunkCount(), b.chunksDone(), append(b.errors(), e), null, b.outputUri(), null);
        });
    }

    /** The render failed for good (non-retryable code, or retries exhausted). The first failure wins. */
    public RenderStatus failed(String prefix, String renderId, ErrorCode code, String message, @Nullable Integer chunk) {
        RenderError e = new RenderError(code.name(), message, chunk, now());
        return update(prefix, s -> {
            RenderStatus b = base(s, renderId, prefix);
            if (b.status().terminal()) {
                return null;
            }
            return with(b, Status.FAILED, b.chunkCount(), b.chunksDone(), append(b.errors(), e), e, b.outputUri(), now());
        });
    }

    // ---------- reading ----------

    /** The newest version, or null when the render has no record yet. */
    public @Nullable RenderStatus read(String prefix) {
        return record(prefix).read();
    }

    // ---------- machinery: the versioned record every progress record shares ----------

    private VersionedRecord<RenderStatus> record(String prefix) {
        return new VersionedRecord<>(storage, RenderStatus.class, StorageUri.parse(RenderKeys.status(prefix)),
                SqsKeys.statusVersions(prefix), RenderStatus::version, (next, v) -> new RenderStatus(next.renderId(),
                next.status(), next.chunkCount(), next.chunksDone(), next.errors(), next.failure(), next.outputUri(),
                next.createdAt(), now(), next.finishedAt(), v));
    }

    RenderStatus update(String prefix, UnaryOperator<RenderStatus> updater) {
        return record(prefix).update(updater);
    }

    private static RenderStatus base(@Nullable RenderStatus s, String renderId, String prefix) {
        if (s != null) {
            return s;
        }
        // An update before the plan consumer created the record (e.g. a message of an unknown render).
        return new RenderStatus(renderId, Status.PLANNING, 0, 0, List.of(), null, null, now(), now(), null, 0);
    }

    private static RenderStatus with(RenderStatus b, Status status, int chunkCount, int chunksDone,
                                     List<RenderError> errors, @Nullable RenderError failure,
                                     @Nullable String outputUri, @Nullable String finishedAt) {
        return new RenderStatus(b.renderId(), status, chunkCount, chunksDone, errors,
                failure != null ? failure : b.failure(), outputUri, b.createdAt(), b.updatedAt(),
                finishedAt != null ? finishedAt : b.finishedAt(), b.version());
    }

    private static List<RenderError> append(List<RenderError> errors, RenderError e) {
        List<RenderError> out = new ArrayList<>(errors);
        out.add(e);
        while (out.size() > RenderStatus.MAX_ERRORS) {
            out.remove(0);
        }
        return out;
    }

    private static String now() {
        return Instant.now().toString();
    }
}
