package dev.hfr.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The progress document of one render ({@code <prefix>/progress.json}): what {@code hf progress} shows, in every
 * mode. Its steps write it (plan, each chunk, assemble), so local, Step Functions and SQS renders fill the same
 * fields the same way. Each change is a pure function below ({@code null}: nothing to change), applied by a
 * conditional writer so concurrent chunks never lose each other's updates.
 *
 * @param chunks     one entry per chunk once planned: its frames, attempts, whether it is done, its last error
 * @param errors     every recorded failure, retried or not, oldest first (at most {@link #MAX_ERRORS})
 * @param failure    the error that ended the render, when {@code status == FAILED}
 * @param timingsMs  wall time per step: {@code plan}, {@code render} (summed over chunks), {@code assemble}
 * @param usage      what AWS bills so far (Lambda invocations), when steps ran on Lambda
 * @param version    number of the stored version (1 for the first)
 */
@Serdeable
public record ProgressDocument(
        @Nullable String renderId,
        Status status,
        @Nullable String mode,
        int framesTotal,
        int framesDone,
        int chunkCount,
        int chunksDone,
        List<ChunkState> chunks,
        List<StepError> errors,
        @Nullable StepError failure,
        @Nullable String captureMode,
        Map<String, Long> timingsMs,
        RenderCost.Usage usage,
        @Nullable String outputUri,
        @Nullable String posterUri,
        @Nullable String contactSheetUri,
        @Nullable String createdAt,
        @Nullable String updatedAt,
        @Nullable String finishedAt,
        long version) {

    public static final int MAX_ERRORS = 50;

    /** Lifecycle of a render; SUCCEEDED, FAILED and CANCELLED are final. */
    public enum Status {
        QUEUED, PLANNING, RENDERING, ASSEMBLING, SUCCEEDED, FAILED, CANCELLED;

        public boolean terminal() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    /** One chunk: its frame count, attempts so far, done or not, and the code of its last failed attempt. */
    @Serdeable
    public record ChunkState(int index, int frames, int attempts, boolean done, @Nullable String lastErrorCode) {
    }

    /** One failure of a step. {@code chunk} is null for plan and assemble failures. */
    @Serdeable
    public record StepError(String step, String code, String message, @Nullable Integer chunk, boolean retryable,
                            @Nullable String at) {
    }

    public ProgressDocument {
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
        errors = errors == null ? List.of() : List.copyOf(errors);
        timingsMs = timingsMs == null ? Map.of() : Map.copyOf(timingsMs);
        usage = usage == null ? RenderCost.Usage.NONE : usage;
    }

    /** What a reader shows for a render whose request is still waiting on a queue. */
    public static ProgressDocument queued(@Nullable String renderId) {
        return new ProgressDocument(renderId, Status.QUEUED, null, 0, 0, 0, 0, List.of(), List.of(), null, null, Map.of(),
                RenderCost.Usage.NONE, null, null, null, null, null, null, 0);
    }

    /** Fraction done in [0, 1]: frames rendered count for 90 %, the assemble for the last 10 %. */
    public double fraction() {
        if (status == Status.SUCCEEDED) {
            return 1.0;
        }
        double frames = framesTotal > 0 ? (double) framesDone / framesTotal : chunkCount > 0 ? (double) chunksDone / chunkCount : 0;
        return Math.min(0.9 * frames + (status == Status.ASSEMBLING ? 0.05 : 0), 0.99);
    }

    // ---------- changes (pure: null means "nothing to change") ----------

    /** A plan step started: creates the document, or leaves an existing one alone. */
    public static @Nullable ProgressDocument planning(@Nullable ProgressDocument p, @Nullable String renderId, @Nullable String mode,
                                                    @Nullable String outputUri) {
        if (p != null && p.status != Status.QUEUED) {
            return null;
        }
        String now = now();
        return new ProgressDocument(renderId, Status.PLANNING, mode, 0, 0, 0, 0, List.of(), List.of(), null, null, Map.of(),
                RenderCost.Usage.NONE, outputUri, null, null, p != null && p.createdAt != null ? p.createdAt : now, now, null, 0);
    }

    /** The plan is published: totals and one entry per chunk. */
    public static @Nullable ProgressDocument planned(@Nullable ProgressDocument p, @Nullable String renderId, List<Integer> chunkFrames,
                                                   @Nullable String captureMode, long planMillis) {
        ProgressDocument b = base(p, renderId);
        if (b.renderId == null && renderId != null) {
            // the plan step names the render when its event did not (an id it generated)
            b = new ProgressDocument(renderId, b.status, b.mode, b.framesTotal, b.framesDone, b.chunkCount, b.chunksDone,
                    b.chunks, b.errors, b.failure, b.captureMode, b.timingsMs, b.usage, b.outputUri, b.posterUri,
                    b.contactSheetUri, b.createdAt, b.updatedAt, b.finishedAt, b.version);
        }
        if (b.status.terminal() || b.status.ordinal() >= Status.RENDERING.ordinal()) {
            return null;
        }
        List<ChunkState> chunks = new ArrayList<>(chunkFrames.size());
        int total = 0;
        for (int i = 0; i < chunkFrames.size(); i++) {
            chunks.add(new ChunkState(i, chunkFrames.get(i), 0, false, null));
            total += chunkFrames.get(i);
        }
        return b.with(Status.RENDERING, total, 0, chunkFrames.size(), 0, chunks, b.errors, null, captureMode,
                timing(b.timingsMs, "plan", planMillis), b.outputUri, null);
    }

    /** A chunk's attempt succeeded (a repeated success of the same chunk changes nothing). */
    public static @Nullable ProgressDocument chunkDone(@Nullable ProgressDocument p, @Nullable String renderId, int index, long millis) {
        ProgressDocument b = base(p, renderId);
        if (b.status.terminal() || index < 0 || index >= b.chunks.size() || b.chunks.get(index).done()) {
            return null;
        }
        List<ChunkState> chunks = new ArrayList<>(b.chunks);
        ChunkState c = chunks.get(index);
        chunks.set(index, new ChunkState(index, c.frames(), c.attempts() + 1, true, c.lastErrorCode()));
        return b.with(b.status, b.framesTotal, b.framesDone + c.frames(), b.chunkCount, b.chunksDone + 1, chunks, b.errors,
                null, b.captureMode, timing(b.timingsMs, "render", millis), b.outputUri, null);
    }

    /** The assemble started. */
    public static @Nullable ProgressDocument assembling(@Nullable ProgressDocument p, @Nullable String renderId) {
        ProgressDocument b = base(p, renderId);
        if (b.status.terminal() || b.status == Status.ASSEMBLING) {
            return null;
        }
        return b.with(Status.ASSEMBLING, b.framesTotal, b.framesDone, b.chunkCount, b.chunksDone, b.chunks, b.errors, null,
                b.captureMode, b.timingsMs, b.outputUri, null);
    }

    /** The output is published. */
    public static @Nullable ProgressDocument succeeded(@Nullable ProgressDocument p, @Nullable String renderId, String outputUri,
                                                     @Nullable String posterUri, @Nullable String contactSheetUri, long assembleMillis) {
        ProgressDocument b = base(p, renderId);
        if (b.status.terminal()) {
            return null;
        }
        ProgressDocument done = b.with(Status.SUCCEEDED, b.framesTotal, b.framesTotal, b.chunkCount, b.chunkCount, b.chunks,
                b.errors, null, b.captureMode, timing(b.timingsMs, "assemble", assembleMillis), outputUri, now());
        return new ProgressDocument(done.renderId, done.status, done.mode, done.framesTotal, done.framesDone, done.chunkCount,
                done.chunksDone, done.chunks, done.errors, done.failure, done.captureMode, done.timingsMs, done.usage,
                done.outputUri, posterUri, contactSheetUri, done.createdAt, done.updatedAt, done.finishedAt, done.version);
    }

    /**
     * A step's attempt failed. A retryable failure is recorded (and counted on its chunk); a non-retryable one
     * ends the render (the first such failure wins).
     */
    public static @Nullable ProgressDocument failed(@Nullable ProgressDocument p, @Nullable String renderId, String step,
                                                  ErrorCode code, String message, @Nullable Integer chunk) {
        ProgressDocument b = base(p, renderId);
        if (b.status.terminal()) {
            return null;
        }
        StepError e = new StepError(step, code.name(), message, chunk, code.retryable(), now());
        List<ChunkState> chunks = b.chunks;
        if (chunk != null && chunk >= 0 && chunk < chunks.size()) {
            List<ChunkState> copy = new ArrayList<>(chunks);
            ChunkState c = copy.get(chunk);
            copy.set(chunk, new ChunkState(chunk, c.frames(), c.attempts() + 1, c.done(), code.name()));
            chunks = copy;
        }
        Status status = code.retryable() ? b.status : (code == ErrorCode.INTERRUPTED ? Status.CANCELLED : Status.FAILED);
        return b.with(status, b.framesTotal, b.framesDone, b.chunkCount, b.chunksDone, chunks, append(b.errors, e),
                code.retryable() ? null : e, b.captureMode, b.timingsMs, b.outputUri, status.terminal() ? now() : null);
    }

    /** Retries are exhausted (the orchestrator says so): the render failed with its last error. */
    public static @Nullable ProgressDocument gaveUp(@Nullable ProgressDocument p, @Nullable String renderId, String step,
                                                  String code, String message, @Nullable Integer chunk) {
        ProgressDocument b = base(p, renderId);
        if (b.status.terminal()) {
            return null;
        }
        StepError e = new StepError(step, code, message, chunk, false, now());
        return b.with(Status.FAILED, b.framesTotal, b.framesDone, b.chunkCount, b.chunksDone, b.chunks, append(b.errors, e), e,
                b.captureMode, b.timingsMs, b.outputUri, now());
    }

    /** A cancel was asked for and seen: no output will be published. */
    public static @Nullable ProgressDocument cancelled(@Nullable ProgressDocument p, @Nullable String renderId) {
        ProgressDocument b = base(p, renderId);
        if (b.status.terminal()) {
            return null;
        }
        return b.with(Status.CANCELLED, b.framesTotal, b.framesDone, b.chunkCount, b.chunksDone, b.chunks, b.errors, null,
                b.captureMode, b.timingsMs, b.outputUri, now());
    }

    /** A Lambda invocation of one of the render's steps ended: its billed usage is added (even after the end). */
    public static ProgressDocument billed(@Nullable ProgressDocument p, @Nullable String renderId, RenderCost.Invocation invocation) {
        ProgressDocument b = base(p, renderId);
        return new ProgressDocument(b.renderId, b.status, b.mode, b.framesTotal, b.framesDone, b.chunkCount, b.chunksDone,
                b.chunks, b.errors, b.failure, b.captureMode, b.timingsMs, b.usage.plus(invocation), b.outputUri, b.posterUri,
                b.contactSheetUri, b.createdAt, now(), b.finishedAt, b.version);
    }

    /**
     * An SQS-mode consumer finished with one of the render's messages: the SQS requests it made for it are added
     * (its receive, delete, sends, visibility changes and heartbeats; even after the end). Null (nothing to do) for a
     * render without a document.
     */
    public static @Nullable ProgressDocument sqsRequests(@Nullable ProgressDocument p, long requests) {
        if (p == null || requests <= 0) {
            return null;
        }
        return new ProgressDocument(p.renderId, p.status, p.mode, p.framesTotal, p.framesDone, p.chunkCount, p.chunksDone,
                p.chunks, p.errors, p.failure, p.captureMode, p.timingsMs, p.usage.plusSqsRequests(requests), p.outputUri,
                p.posterUri, p.contactSheetUri, p.createdAt, now(), p.finishedAt, p.version);
    }

    /** Records how frames were captured (the first chunk to finish says it). */
    public static ProgressDocument withCaptureMode(ProgressDocument b, @Nullable String captureMode) {
        return new ProgressDocument(b.renderId, b.status, b.mode, b.framesTotal, b.framesDone, b.chunkCount, b.chunksDone,
                b.chunks, b.errors, b.failure, captureMode, b.timingsMs, b.usage, b.outputUri, b.posterUri,
                b.contactSheetUri, b.createdAt, b.updatedAt, b.finishedAt, b.version);
    }

    /** Sets the stored version number (used by the writer). */
    public ProgressDocument withVersion(long v) {
        return new ProgressDocument(renderId, status, mode, framesTotal, framesDone, chunkCount, chunksDone, chunks, errors,
                failure, captureMode, timingsMs, usage, outputUri, posterUri, contactSheetUri, createdAt, now(), finishedAt, v);
    }

    // ---------- helpers ----------

    private static ProgressDocument base(@Nullable ProgressDocument p, @Nullable String renderId) {
        if (p != null) {
            return p;
        }
        // An update before the plan created the document (e.g. a step event run by hand).
        String now = now();
        return new ProgressDocument(renderId, Status.PLANNING, null, 0, 0, 0, 0, List.of(), List.of(), null, null, Map.of(),
                RenderCost.Usage.NONE, null, null, null, now, now, null, 0);
    }

    private ProgressDocument with(Status s, int fTotal, int fDone, int cCount, int cDone, List<ChunkState> cs, List<StepError> es,
                                @Nullable StepError fail, @Nullable String capture, Map<String, Long> timings,
                                @Nullable String output, @Nullable String finished) {
        return new ProgressDocument(renderId, s, mode, fTotal, fDone, cCount, cDone, cs, es, fail != null ? fail : failure, capture,
                timings, usage, output, posterUri, contactSheetUri, createdAt, updatedAt, finished != null ? finished : finishedAt,
                version);
    }

    private static Map<String, Long> timing(Map<String, Long> t, String step, long millis) {
        Map<String, Long> out = new LinkedHashMap<>(t);
        out.merge(step, Math.max(0, millis), Long::sum);
        return out;
    }

    private static List<StepError> append(List<StepError> errors, StepError e) {
        List<StepError> out = new ArrayList<>(errors);
        out.add(e);
        while (out.size() > MAX_ERRORS) {
            out.remove(0);
        }
        return out;
    }

    private static String now() {
        return Instant.now().toString();
    }
}
