package dev.hfr.sqs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The progress record of one render ({@code <prefix>/status.json}), what {@code hf progress} shows.
 * It is changed only through the named updaters of the status store, each a conditional create of the
 * next version, so concurrent workers never lose each other's updates.
 *
 * @param chunksDone  completion markers observed so far (never decreases)
 * @param errors      every recorded failure, retried or not, oldest first (at most {@link #MAX_ERRORS})
 * @param failure     the error that failed the render, when {@code status == FAILED}
 * @param version     number of the stored version this record was read from (1 for the first)
 */
@Serdeable
public record RenderStatus(
        @Nullable String renderId,
        Status status,
        int chunkCount,
        int chunksDone,
        List<RenderError> errors,
        @Nullable RenderError failure,
        @Nullable String outputUri,
        @Nullable String createdAt,
        @Nullable String updatedAt,
        @Nullable String finishedAt,
        long version) {

    public static final int MAX_ERRORS = 50;

    /** Lifecycle of a render; SUCCEEDED and FAILED are final. */
    public enum Status {
        QUEUED, PLANNING, RENDERING, ASSEMBLING, SUCCEEDED, FAILED;

        public boolean terminal() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    /** One failure of a step. {@code chunk} is null for plan and assemble failures. */
    @Serdeable
    public record RenderError(String code, String message, @Nullable Integer chunk, @Nullable String at) {
    }

    /** What {@link ProgressReader} returns for a render whose request is still waiting on the queue. */
    public static RenderStatus queued(@Nullable String renderId) {
        return new RenderStatus(renderId, Status.QUEUED, 0, 0, List.of(), null, null, null, null, null, 0);
    }

    public RenderStatus {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
