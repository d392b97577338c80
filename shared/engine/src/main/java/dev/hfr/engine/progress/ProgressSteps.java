package dev.hfr.engine.progress;

import dev.hfr.engine.Steps;
import dev.hfr.engine.support.PlanStore;
import dev.hfr.engine.webhook.WebhookNotifier;
import dev.hfr.model.ConfigViolation;
import dev.hfr.model.InvalidConfigException;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanManifest;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderCost;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.Step;
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
    private static final String PLAN = Step.PLAN.wireName();
    private static final String RENDER_CHUNK = Step.RENDER_CHUNK.wireName();
    private static final String ASSEMBLE = Step.ASSEMBLE.wireName();

    private ProgressSteps() {
    }

    /** Where the step runs, for the billed usage: memory and /tmp of the Lambda function, or null off Lambda. */
    public record Billing(int memoryMb, int ephemeralMb, boolean arm64) {
        /** The variable Lambda sets to the function's memory; off Lambda it is unset and nothing is billed. */
        public static final String MEMORY_SIZE_ENV = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
        /** The function's /tmp size ({@code template.yaml} sets it), default 512 MB. */
        public static final String EPHEMERAL_STORAGE_ENV = "HFR_EPHEMERAL_STORAGE_MB";

        /**
         * The billing the values of {@value #MEMORY_SIZE_ENV}, {@value #EPHEMERAL_STORAGE_ENV} and {@code os.arch}
         * give, read once by {@code HfrSettings}: null when the memory size is unset (off Lambda) or either size
         * is not a whole number.
         */
        public static @Nullable Billing from(@Nullable String memoryMb, @Nullable String ephemeralMb, @Nullable String osArch) {
            if (memoryMb == null || memoryMb.isBlank()) {
                return null;
            }
            boolean arm = osArch != null && osArch.contains("aarch64");
            try {
                return new Billing(Integer.parseInt(memoryMb.trim()),
                        ephemeralMb == null || ephemeralMb.isBlank() ? 512 : Integer.parseInt(ephemeralMb.trim()), arm);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** Without a render timeout of its own: the default one ({@link RenderDeadline#DEFAULT_TIMEOUT}). */
    public static Steps.Plan plan(Storage storage, Steps.Plan inner, @Nullable Billing billing) {
        return plan(storage, inner, billing, RenderDeadline.DEFAULT_TIMEOUT);
    }

    /** With the render timeout: the plan step starts the render's deadline ({@link RenderDeadline}). */
    public static Steps.Plan plan(Storage storage, Steps.Plan inner, @Nullable Billing billing, java.time.Duration renderTimeout) {
        ProgressStore progress = new ProgressStore(storage);
        WebhookNotifier webhooks = WebhookNotifier.standard(storage);
        return event -> {
            String prefix = event.planOutputS3Prefix();
            if (prefix == null || prefix.isBlank()) {
                return inner.plan(event); // the step itself names the missing field
            }
            new PlanStore(storage, prefix).checkPlanEvent(event.projectS3Uri(), event.outputS3Uri());
            if (event.webhook() != null) {
                List<ConfigViolation> bad = event.webhook().violations("Webhook");
                if (!bad.isEmpty()) {
                    throw new InvalidConfigException(bad);
                }
            }
            refuseIfCancelled(progress, prefix, PLAN);
            if (event.webhook() != null) {
                webhooks.remember(prefix, event.webhook());
            }
            RenderDeadline.start(storage, prefix, renderTimeout);
            refuseIfPastDeadline(storage, progress, webhooks, prefix, event.renderId(), PLAN, null);
            advisory(() -> progress.planning(prefix, event.renderId(), null, event.outputS3Uri()));
            long t0 = System.nanoTime();
            PlanResult result;
            try {
                result = inner.plan(event);
            } catch (RenderException e) {
                bill(progress, prefix, event.renderId(), PLAN, t0, billing);
                recordFailure(progress, webhooks, prefix, event.renderId(), PLAN, e, null);
                throw e;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            advisory(() -> {
                PlanManifest m = new PlanStore(storage, prefix).readManifest(result.planHash());
                List<Integer> frames = m.chunks().stream().map(c -> c.endFrame() - c.startFrame()).toList();
                return progress.planned(prefix, result.renderId(), frames, null, ms);
            });
            bill(progress, prefix, result.renderId(), PLAN, t0, billing);
            return result;
        };
    }

    public static Steps.RenderChunk renderChunk(Storage storage, Steps.RenderChunk inner, @Nullable Billing billing) {
        ProgressStore progress = new ProgressStore(storage);
        WebhookNotifier webhooks = WebhookNotifier.standard(storage);
        return event -> {
            String prefix = prefixOf(event.planManifestS3Uri());
            if (prefix == null) {
                return inner.renderChunk(event);
            }
            new PlanStore(storage, prefix).checkChunkEvent(event.chunkOutputS3Prefix());
            refuseIfCancelled(progress, prefix, RENDER_CHUNK);
            RenderDeadline deadline = refuseIfPastDeadline(storage, progress, webhooks, prefix, event.renderId(), RENDER_CHUNK,
                    event.chunkIndex());
            long t0 = System.nanoTime();
            CancelWatch watch = new CancelWatch(progress, prefix, deadline == null ? null : deadline.at());
            try {
                RenderChunkResult result;
                try {
                    result = inner.renderChunk(event);
                } finally {
                    watch.close();
                }
                if (watch.timedOut()) {
                    throw deadline.exceeded(prefix, RENDER_CHUNK); // recorded below
                }
                if (watch.seen()) {
                    throw cancelled(prefix, RENDER_CHUNK);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                advisory(() -> progress.update(prefix, p -> {
                    ProgressDocument next = ProgressDocument.chunkDone(p, event.renderId(), event.chunkIndex(), ms);
                    return next == null || next.captureMode() != null ? next : ProgressDocument.withCaptureMode(next, result.captureMode());
                }));
                return result;
            } catch (RenderException e) {
                if (watch.seen()) {
                    RenderException c = cancelled(prefix, RENDER_CHUNK);
                    c.addSuppressed(e);
                    throw c;
                }
                // stopped by the deadline: this watch's, or another's around the same step (interrupted past it)
                boolean pastDeadline = watch.timedOut()
                        || (e.code() == ErrorCode.INTERRUPTED && deadline != null && deadline.passed());
                if (pastDeadline && e.code() != ErrorCode.RENDER_TIMEOUT) {
                    RenderException t = deadline.exceeded(prefix, RENDER_CHUNK);
                    t.addSuppressed(e);
                    recordFailure(progress, webhooks, prefix, event.renderId(), RENDER_CHUNK, t, event.chunkIndex());
                    throw t;
                }
                recordFailure(progress, webhooks, prefix, event.renderId(), RENDER_CHUNK, e, event.chunkIndex());
                throw e;
            } finally {
                bill(progress, prefix, event.renderId(), RENDER_CHUNK, t0, billing);
            }
        };
    }

    /**
     * While a chunk renders, looks for the render's cancel marker every {@link #CANCEL_POLL} and interrupts the
     * rendering thread when it appears or the render's deadline passes (the frame loop stops at the next frame and
     * nothing more is uploaded).
     * Closing it guarantees no interrupt arrives afterwards, and clears one that did, so a pooled worker thread
     * starts its next task clean.
     */
    static final class CancelWatch implements AutoCloseable {
        private final Object lock = new Object();
        private final Thread worker = Thread.currentThread();
        private final Thread watcher;
        private boolean running = true;
        private volatile boolean seen;
        private volatile boolean timedOut;

        CancelWatch(ProgressStore progress, String prefix) {
            this(progress, prefix, null);
        }

        CancelWatch(ProgressStore progress, String prefix, @Nullable java.time.Instant deadline) {
            watcher = Thread.ofVirtual().name("hfr-cancel-watch").start(() -> {
                while (true) {
                    try {
                        Thread.sleep(CANCEL_POLL.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    // Once seen, the interrupt is repeated every poll until the step returns: a library call that
                    // swallows an interrupt (browser start-up, an SDK retry) must not let the chunk run to its end.
                    boolean late = !seen && (timedOut || (deadline != null && java.time.Instant.now().isAfter(deadline)));
                    boolean cancel = seen;
                    if (!late && !cancel) {
                        try {
                            cancel = progress.cancelRequested(prefix);
                        } catch (RuntimeException e) {
                            continue; // storage hiccup: look again next time
                        }
                    }
                    synchronized (lock) {
                        if (!running) {
                            return;
                        }
                        if (late) {
                            timedOut = true;
                            worker.interrupt();
                        } else if (cancel) {
                            seen = true;
                            worker.interrupt();
                        }
                    }
                }
            });
        }

        boolean seen() {
            return seen;
        }

        boolean timedOut() {
            return timedOut;
        }

        @Override
        public void close() {
            synchronized (lock) {
                running = false;
            }
            watcher.interrupt();
            if (seen || timedOut) {
                Thread.interrupted();
            }
        }
    }

    /** How often a rendering chunk looks for a cancel: a cancel is seen within this long. */
    public static final java.time.Duration CANCEL_POLL = java.time.Duration.ofMillis(250);

    public static Steps.Assemble assemble(Storage storage, Steps.Assemble inner, @Nullable Billing billing) {
        ProgressStore progress = new ProgressStore(storage);
        WebhookNotifier webhooks = WebhookNotifier.standard(storage);
        return event -> {
            String prefix = prefixOf(event.planManifestS3Uri());
            if (prefix == null) {
                return inner.assemble(event);
            }
            new PlanStore(storage, prefix).checkAssembleEvent(event.chunkS3Uris(), event.outputS3Uri());
            refuseIfPastDeadline(storage, progress, webhooks, prefix, event.renderId(), ASSEMBLE, null);
            if (!progress.beginAssemble(prefix, event.renderId())) {
                throw cancelled(prefix, ASSEMBLE);
            }
            long t0 = System.nanoTime();
            try {
                var result = inner.assemble(event);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                bill(progress, prefix, event.renderId(), ASSEMBLE, t0, billing);
                String poster = existing(storage, RenderKeys.poster(prefix));
                String sheet = existing(storage, RenderKeys.contactSheet(prefix));
                ending(progress, webhooks, prefix,
                        p -> ProgressDocument.succeeded(p, event.renderId(), result.outputS3Uri(), poster, sheet, ms));
                return result;
            } catch (RenderException e) {
                bill(progress, prefix, event.renderId(), ASSEMBLE, t0, billing);
                recordFailure(progress, webhooks, prefix, event.renderId(), ASSEMBLE, e, null);
                throw e;
            }
        };
    }

    /** {@code uri} if something is stored there (the assemble step's poster and contact sheet), else null. */
    private static @Nullable String existing(Storage storage, String uri) {
        try {
            return storage.exists(dev.hfr.model.StorageUri.parse(uri)) ? uri : null;
        } catch (RuntimeException e) {
            return null; // advisory, as every progress write
        }
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

    /**
     * Ends the render with RENDER_TIMEOUT (recorded, so the webhook gets {@code timeout}) when its deadline passed;
     * returns the deadline (null if the render has none) for a running chunk to watch.
     */
    private static @Nullable RenderDeadline refuseIfPastDeadline(Storage storage, ProgressStore progress, WebhookNotifier webhooks,
                                                                 String prefix, @Nullable String renderId, String step,
                                                                 @Nullable Integer chunk) {
        RenderDeadline d = RenderDeadline.read(storage, prefix);
        if (d != null && d.passed()) {
            RenderException e = d.exceeded(prefix, step);
            recordFailure(progress, webhooks, prefix, renderId, step, e, chunk);
            throw e;
        }
        return d;
    }

    private static RenderException cancelled(String prefix, String step) {
        return new RenderException(ErrorCode.INTERRUPTED, "the render at " + prefix + " was cancelled: its " + step
                + " step stopped or did not start, and no output will be published");
    }

    private static void recordFailure(ProgressStore progress, WebhookNotifier webhooks, String prefix, @Nullable String renderId,
                                      String step, RenderException e, @Nullable Integer chunk) {
        if (e.code() == ErrorCode.INTERRUPTED && progress.cancelRequested(prefix)) {
            return; // the cancel is already the record
        }
        ending(progress, webhooks, prefix,
                p -> ProgressDocument.failed(p, renderId, step, e.code(), e.getMessage() == null ? "" : e.getMessage(), chunk));
    }

    /**
     * Applies a change that may end the render; if this call is the one whose update made it SUCCEEDED or FAILED
     * (the versioned document has exactly one such writer), the webhook is told.
     */
    private static void ending(ProgressStore progress, WebhookNotifier webhooks, String prefix,
                               java.util.function.UnaryOperator<ProgressDocument> change) {
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        ProgressDocument[] after = new ProgressDocument[1];
        advisory(() -> after[0] = progress.update(prefix, p -> {
            ProgressDocument next = change.apply(p);
            // re-applied on a lost race: the last application is the one written
            ended.set(next != null && next.status().terminal() && (p == null || !p.status().terminal()));
            return next;
        }));
        if (ended.get() && after[0] != null) {
            advisory(() -> webhooks.notifyEnd(prefix, after[0], null));
        }
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
            dev.hfr.engine.dispatch.StepLog.warning("progress_write_failed", null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
