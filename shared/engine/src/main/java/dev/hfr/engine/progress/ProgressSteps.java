package dev.hfr.engine.progress;

import dev.hfr.engine.Steps;
import dev.hfr.engine.support.PlanStore;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanManifest;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderCost;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.ProgressDocument;
import dev.hfr.storage.Storage;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.function.Supplier;

/**
 * The three steps with the render's progress document kept up to date around them, so every mode (local,
 * Step Functions, SQS, a step run by hand) fills it the same way. Event URIs are checked by the bucket guard
 * before anything is written next to them. Progress writes are advisory and never fail a step, with two
 * exceptions that are the point of the document: a cancelled render runs no further step, and the assemble
 * publishes only after it won the race against a cancel ({@link ProgressStore#beginAssemble}).
 */
public final class ProgressSteps {
    private ProgressSteps() {
    }

    /** Where the step runs, for the billed usage: memory and /tmp of the Lambda function, or null off Lambda. */
    public record Billing(int memoryMb, int ephemeralMb, boolean arm64) {
        public static @Nullable Billing fromEnvironment() {
            String mem = System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
            if (mem == null || mem.isBlank()) {
                return null;
            }
            String tmp = System.getenv("HFR_EPHEMERAL_STORAGE_MB");
            boolean arm = System.getProperty("os.arch", "").contains("aarch64");
            try {
                return new Billing(Integer.parseInt(mem.trim()), tmp == null || tmp.isBlank() ? 512 : Integer.parseInt(tmp.trim()), arm);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    public static Steps.Plan plan(Storage storage, Steps.Plan inner, @Nullable Billing billing) {
        ProgressStore progress = new ProgressStore(storage);
        return event -> {
            String prefix = event.planOutputS3Prefix();
            if (prefix == null || prefix.isBlank()) {
                return inner.plan(event); // the step itself names the missing field
            }
            new PlanStore(storage, prefix).checkAllowed("PlanOutputS3Prefix", prefix);
            refuseIfCancelled(progress, prefix, "plan");
            advisory(() -> progress.planning(prefix, event.renderId(), null, event.outputS3Uri()));
            long t0 = System.nanoTime();
            PlanResult result;
            try {
                result = inner.plan(event);
            } catch (RenderException e) {
                recordFailure(progress, prefix, event.renderId(), "plan", e, null);
                bill(progress, prefix, event.renderId(), "plan", t0, billing);
                throw e;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            advisory(() -> {
                PlanManifest m = new PlanStore(storage, prefix).readManifest(result.planHash());
                List<Integer> frames = m.chunks().stream().map(c -> c.endFrame() - c.startFrame()).toList();
                return progress.planned(prefix, result.renderId(), frames, null, ms);
            });
            bill(progress, prefix, result.renderId(), "plan", t0, billing);
            return result;
        };
    }

    public static Steps.RenderChunk renderChunk(Storage storage, Steps.RenderChunk inner, @Nullable Billing billing) {
        ProgressStore progress = new ProgressStore(storage);
        return event -> {
            String prefix = prefixOf(event.planManifestS3Uri());
            if (prefix == null) {
                return inner.renderChunk(event);
            }
            new PlanStore(storage, prefix).checkAllowed("PlanManifestS3Uri", event.planManifestS3Uri());
            refuseIfCancelled(progress, prefix, "renderChunk");
            long t0 = System.nanoTime();
            try {
                var result = inner.renderChunk(event);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                advisory(() -> progress.update(prefix, p -> {
                    ProgressDocument next = ProgressDocument.chunkDone(p, event.renderId(), event.chunkIndex(), ms);
                    return next == null || next.captureMode() != null ? next : ProgressDocument.withCaptureMode(next, result.captureMode());
                }));
                return result;
            } catch (RenderException e) {
                recordFailure(progress, prefix, event.renderId(), "renderChunk", e, event.chunkIndex());
                throw e;
            } finally {
                bill(progress, prefix, event.renderId(), "renderChunk", t0, billing);
            }
        };
    }

    public static Steps.Assemble assemble(Storage storage, Steps.Assemble inner, @Nullable Billing billing) {
        ProgressStore progress = new ProgressStore(storage);
        return event -> {
            String prefix = prefixOf(event.planManifestS3Uri());
            if (prefix == null) {
                return inner.assemble(event);
            }
            new PlanStore(storage, prefix).checkAllowed("PlanManifestS3Uri", event.planManifestS3Uri());
            if (!progress.beginAssemble(prefix, event.renderId())) {
                throw cancelled(prefix, "assemble");
            }
            long t0 = System.nanoTime();
            try {
                var result = inner.assemble(event);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                advisory(() -> progress.succeeded(prefix, event.renderId(), result.outputS3Uri(), null, null, ms));
                return result;
            } catch (RenderException e) {
                recordFailure(progress, prefix, event.renderId(), "assemble", e, null);
                throw e;
            } finally {
                bill(progress, prefix, event.renderId(), "assemble", t0, billing);
            }
        };
    }

    private static @Nullable String prefixOf(@Nullable String manifestUri) {
        if (manifestUri == null || !manifestUri.endsWith("/plan/manifest.json")) {
            return null; // the step refuses it with INVALID_EVENT naming the field
        }
        return RenderKeys.prefixOfManifest(manifestUri);
    }

    private static void refuseIfCancelled(ProgressStore progress, String prefix, String step) {
        if (progress.cancelRequested(prefix)) {
            throw cancelled(prefix, step);
        }
    }

    private static RenderException cancelled(String prefix, String step) {
        return new RenderException(ErrorCode.INTERRUPTED, "the render at " + prefix + " was cancelled; the " + step
                + " step did not run and no output will be published");
    }

    private static void recordFailure(ProgressStore progress, String prefix, @Nullable String renderId, String step,
                                      RenderException e, @Nullable Integer chunk) {
        if (e.code() == ErrorCode.INTERRUPTED && progress.cancelRequested(prefix)) {
            return; // the cancel is already the record
        }
        advisory(() -> progress.failed(prefix, renderId, step, e.code(), e.getMessage() == null ? "" : e.getMessage(), chunk));
    }

    private static void bill(ProgressStore progress, String prefix, @Nullable String renderId, String step, long t0,
                             @Nullable Billing billing) {
        if (billing == null) {
            return;
        }
        long ms = RenderCost.billedMillis((System.nanoTime() - t0) / 1e6);
        advisory(() -> progress.billed(prefix, renderId,
                new RenderCost.Invocation(step, ms, billing.memoryMb(), billing.ephemeralMb(), billing.arm64())));
    }

    /** A progress write that fails is logged by the caller's log line, never turned into a step failure. */
    private static void advisory(Supplier<?> write) {
        try {
            write.get();
        } catch (RuntimeException e) {
            try {
                System.err.println(io.micronaut.serde.ObjectMapper.getDefault().writeValueAsString(java.util.Map.of(
                        "ts", java.time.Instant.now().toString(), "event", "progress_write_failed",
                        "error", e.getClass().getSimpleName() + ": " + e.getMessage())));
            } catch (java.io.IOException io) {
                System.err.println("progress_write_failed: " + e);
            }
        }
    }
}
