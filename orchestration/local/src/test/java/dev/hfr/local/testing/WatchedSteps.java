package dev.hfr.local.testing;

import dev.hfr.engine.Engine;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Engine's steps, watched for the cancellation tests: when each chunk started and ended and how (its
 * exception), how often assemble ran, and an optional hold of the assemble after it won the race against a cancel
 * (the outer Engine's progress wrapper has moved the render to ASSEMBLING when the hold begins).
 */
public final class WatchedSteps {
    private final Engine real;
    public final Map<Integer, Long> chunkStartNanos = new ConcurrentHashMap<>();
    public final Map<Integer, Long> chunkEndNanos = new ConcurrentHashMap<>();
    public final Map<Integer, RuntimeException> chunkFailures = new ConcurrentHashMap<>();
    public final AtomicInteger chunkCalls = new AtomicInteger();
    public final AtomicInteger assembleCalls = new AtomicInteger();
    /** Counted down when chunk {@link #watchedChunk} starts (in the real step). */
    public final CountDownLatch watchedChunkStarted = new CountDownLatch(1);
    public volatile int watchedChunk = -1;
    /** When set, the assemble waits here (after it began) until it is counted down, at most 60 s. */
    public volatile CountDownLatch assembleHold;
    public final CountDownLatch assembleHeld = new CountDownLatch(1);
    /** Rewrites the event the real chunk step receives (e.g. a stale PlanHash: a chunk with a bad input). */
    public volatile java.util.function.UnaryOperator<dev.hfr.model.RenderChunkEvent> chunkEvent = java.util.function.UnaryOperator.identity();

    /**
     * Chunks this says yes to wait, before the real step, until the thread is interrupted (a cancel or a deadline
     * seen by the progress steps' watch) and then fail with INTERRUPTED; at most 60 s, then TIMEOUT. A deadline
     * test so does not depend on how fast the machine renders.
     */
    public volatile java.util.function.Predicate<dev.hfr.model.RenderChunkEvent> holdChunkUntilInterrupted = e -> false;

    public WatchedSteps(Engine real) {
        this.real = real;
    }

    /** An Engine over these steps (wrapped once more in the progress steps, as every entry point is). */
    public Engine engine() {
        return new Engine(real.storage(), real.plan(), e -> {
            chunkCalls.incrementAndGet();
            chunkStartNanos.put(e.chunkIndex(), System.nanoTime());
            if (e.chunkIndex() == watchedChunk) {
                watchedChunkStarted.countDown();
            }
            try {
                if (holdChunkUntilInterrupted.test(e)) {
                    try {
                        new CountDownLatch(1).await(60, TimeUnit.SECONDS);
                        throw new RenderException(ErrorCode.TIMEOUT, "held chunk " + e.chunkIndex() + " was never interrupted");
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new RenderException(ErrorCode.INTERRUPTED, "held chunk " + e.chunkIndex() + " interrupted");
                    }
                }
                RenderChunkResult r = real.renderChunk().renderChunk(chunkEvent.apply(e));
                chunkEndNanos.put(e.chunkIndex(), System.nanoTime());
                return r;
            } catch (RuntimeException x) {
                chunkFailures.put(e.chunkIndex(), x); // before the end time: a reader that sees the end sees this
                chunkEndNanos.put(e.chunkIndex(), System.nanoTime());
                throw x;
            }
        }, e -> {
            assembleCalls.incrementAndGet();
            CountDownLatch hold = assembleHold;
            if (hold != null) {
                assembleHeld.countDown();
                try {
                    if (!hold.await(60, TimeUnit.SECONDS)) {
                        throw new RenderException(ErrorCode.TIMEOUT, "test hold of the assemble was never released");
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while held");
                }
            }
            AssembleResult r = real.assemble().assemble(e);
            return r;
        });
    }

    /** Milliseconds from {@code fromNanos} to the end of chunk {@code index}, or -1 if it has not ended. */
    public long chunkEndedMillisAfter(int index, long fromNanos) {
        Long end = chunkEndNanos.get(index);
        return end == null ? -1 : (end - fromNanos) / 1_000_000;
    }
}
