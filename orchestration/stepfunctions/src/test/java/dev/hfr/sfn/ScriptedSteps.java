package dev.hfr.sfn;

import dev.hfr.engine.Engine;
import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Plain-Java plan/render-chunk/assemble steps for orchestration tests: they do no rendering but record every
 * call (attempts per chunk, chunks in flight, what assemble received) and fail on demand with real
 * {@link RenderException}s, so the state machine's retry, catch and fan-out behaviour is what is under test.
 */
final class ScriptedSteps {
    static final String PLAN_HASH = "a".repeat(64);

    /** Decides whether attempt {@code attempt} (1-based) of chunk {@code index} fails; null means it succeeds. */
    @FunctionalInterface
    interface ChunkFailure {
        RenderException failure(int index, int attempt);
    }

    private final int chunkCount;
    private final Duration chunkWork;
    volatile ChunkFailure chunkFailure = (i, a) -> null;
    volatile java.util.function.Function<PlanEvent, RenderException> planFailure = e -> null;
    /** Chunks whose result leaves out ChunkS3Uri: a broken worker reply the state machine must not pass on. */
    volatile java.util.function.IntPredicate dropChunkUri = i -> false;
    /** Time the plan step takes (a silent worker: no heartbeats are sent by the step itself). */
    volatile Duration planWork = Duration.ZERO;

    final AtomicInteger planCalls = new AtomicInteger();
    final AtomicInteger renderChunkCalls = new AtomicInteger();
    final AtomicInteger assembleCalls = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final List<List<String>> assembled = new CopyOnWriteArrayList<>();

    ScriptedSteps(int chunkCount, Duration chunkWork) {
        this.chunkCount = chunkCount;
        this.chunkWork = chunkWork;
    }

    StepDispatcher dispatcher() {
        return new Engine(null, this::plan, this::renderChunk, this::assemble).dispatcher();
    }

    int attemptsOf(int index) {
        AtomicInteger a = attempts.get(index);
        return a == null ? 0 : a.get();
    }

    private PlanResult plan(PlanEvent e) {
        planCalls.incrementAndGet();
        // the real plan step validates first and lists every bad field; so does this one
        RenderConfig config = (e.config() == null ? RenderConfig.empty() : e.config()).validated();
        LockSupport.parkNanos(planWork.toNanos());
        RenderException failure = planFailure.apply(e);
        if (failure != null) {
            throw failure;
        }
        return new PlanResult("plan", "render-1", PLAN_HASH, e.planOutputS3Prefix() + "plan/manifest.json",
                e.planOutputS3Prefix(), chunkCount, chunkCount * 10, config.fps(), 64, 36, config.format(), false,
                "5.1", "test", 3, null, config.maxParallelChunks());
    }

    private RenderChunkResult renderChunk(RenderChunkEvent e) {
        renderChunkCalls.incrementAndGet();
        int attempt = attempts.computeIfAbsent(e.chunkIndex(), i -> new AtomicInteger()).incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            if (!PLAN_HASH.equals(e.planHash())) {
                throw new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "event PlanHash " + e.planHash());
            }
            RenderException failure = chunkFailure.failure(e.chunkIndex(), attempt);
            if (failure != null) {
                throw failure;
            }
            // simulated capture time, so concurrent chunks overlap and MaxConcurrency is observable
            LockSupport.parkNanos(chunkWork.toNanos());
            String uri = dropChunkUri.test(e.chunkIndex()) ? null
                    : e.chunkOutputS3Prefix() + "chunks/" + e.chunkIndex() + ".mp4";
            return new RenderChunkResult("renderChunk", uri,
                    e.chunkIndex(), "%064d".formatted(e.chunkIndex()), 10, "beginframe", chunkWork.toMillis());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private AssembleResult assemble(AssembleEvent e) {
        assembleCalls.incrementAndGet();
        List<String> uris = e.chunkS3Uris() == null ? List.of() : e.chunkS3Uris();
        assembled.add(List.copyOf(uris));
        if (uris.size() != chunkCount) {
            throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "got " + uris.size() + " chunks, plan has " + chunkCount);
        }
        return new AssembleResult("assemble", e.outputS3Uri(), chunkCount * 10, 1234, 7);
    }
}
