package dev.hfr.sfn;

import dev.hfr.engine.Engine;
import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.ChunkSlicer;
import dev.hfr.model.StorageUri;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
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
 * The plan writes the real chunk list (the Distributed Map's ItemReader reads it from S3); assemble checks every
 * chunk of the plan itself, as the real one checks the chunk keys, and fails with CHUNKS_INCOMPLETE on a gap.
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
    /** Chunks that report success but leave no chunk behind (a broken worker): assemble must notice. */
    volatile java.util.function.IntPredicate dropChunkUri = i -> false;
    /** Time the plan step takes (a silent worker: no heartbeats are sent by the step itself). */
    volatile Duration planWork = Duration.ZERO;

    final AtomicInteger planCalls = new AtomicInteger();
    final AtomicInteger renderChunkCalls = new AtomicInteger();
    final AtomicInteger assembleCalls = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** Chunks rendered successfully (the stand-in for the chunk objects the real assemble looks for). */
    final java.util.Set<Integer> rendered = ConcurrentHashMap.newKeySet();
    /** Per assemble call, the chunk indexes it found, in order. */
    final List<List<Integer>> assembled = new CopyOnWriteArrayList<>();
    private final S3Client s3;

    /** {@code s3}: where the plan writes its chunk list (the bucket of the input's PlanOutputS3Prefix). */
    ScriptedSteps(int chunkCount, Duration chunkWork, S3Client s3) {
        this.chunkCount = chunkCount;
        this.chunkWork = chunkWork;
        this.s3 = s3;
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
        String chunkList = e.planOutputS3Prefix() + "plan/chunks.json";
        StorageUri list = StorageUri.parse(chunkList);
        s3.putObject(b -> b.bucket(list.bucket()).key(list.key()), RequestBody.fromBytes(ChunkSlicer.chunkListJson(chunkCount)));
        return new PlanResult("plan", "render-1", PLAN_HASH, e.planOutputS3Prefix() + "plan/manifest.json",
                e.planOutputS3Prefix(), chunkCount, chunkCount * 10, config.fps(), 64, 36, config.format(), false,
                "5.1", "test", 3, null, config.maxParallelChunks()).withChunkList(chunkList);
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
            String uri = e.chunkOutputS3Prefix() + "chunks/" + e.chunkIndex() + ".mp4";
            if (!dropChunkUri.test(e.chunkIndex())) {
                rendered.add(e.chunkIndex());
            }
            return new RenderChunkResult("renderChunk", uri,
                    e.chunkIndex(), "%064d".formatted(e.chunkIndex()), 10, "beginframe", chunkWork.toMillis());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private AssembleResult assemble(AssembleEvent e) {
        assembleCalls.incrementAndGet();
        List<Integer> found = new java.util.ArrayList<>();
        for (int i = 0; i < chunkCount; i++) {
            if (!rendered.contains(i)) {
                assembled.add(List.copyOf(found));
                throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "chunk " + i + " is missing: every chunk must be"
                        + " rendered before assemble");
            }
            found.add(i);
        }
        assembled.add(List.copyOf(found));
        return new AssembleResult("assemble", e.outputS3Uri(), chunkCount * 10, 1234, 7);
    }
}
