package dev.hfr.sfn;

import dev.hfr.engine.Engine;
import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The real Engine's steps with counters and two hooks around render-chunk: a failure injected before the real step
 * runs (a crashed browser), and a rewrite of the event the real step receives (a stale PlanHash). Everything else is
 * the production code, so what the state machine sees is what a deployed worker would send.
 */
final class RealStepsProbe {
    /** Decides whether attempt {@code attempt} (1-based) of chunk {@code index} fails before rendering; null = no. */
    @FunctionalInterface
    interface ChunkFailure {
        RenderException failure(int index, int attempt);
    }

    private final Engine real;
    volatile ChunkFailure chunkFailure = (i, a) -> null;
    volatile UnaryOperator<RenderChunkEvent> chunkEvent = UnaryOperator.identity();
    /** Runs after the real plan step and before its result reaches the state machine. */
    volatile Consumer<PlanResult> afterPlan = r -> { };
    final AtomicInteger planCalls = new AtomicInteger();
    final AtomicInteger renderChunkCalls = new AtomicInteger();
    final AtomicInteger assembleCalls = new AtomicInteger();
    final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    volatile PlanResult lastPlan;

    RealStepsProbe(Engine real) {
        this.real = real;
    }

    StepDispatcher dispatcher() {
        return new Engine(real.storage(), this::plan, this::renderChunk, e -> {
            assembleCalls.incrementAndGet();
            return real.assemble().assemble(e);
        }).dispatcher();
    }

    int attemptsOf(int index) {
        AtomicInteger a = attempts.get(index);
        return a == null ? 0 : a.get();
    }

    private PlanResult plan(PlanEvent e) {
        planCalls.incrementAndGet();
        PlanResult r = real.plan().plan(e);
        lastPlan = r;
        afterPlan.accept(r);
        return r;
    }

    private RenderChunkResult renderChunk(RenderChunkEvent e) {
        renderChunkCalls.incrementAndGet();
        int attempt = attempts.computeIfAbsent(e.chunkIndex(), i -> new AtomicInteger()).incrementAndGet();
        RenderException failure = chunkFailure.failure(e.chunkIndex(), attempt);
        if (failure != null) {
            throw failure;
        }
        return real.renderChunk().renderChunk(chunkEvent.apply(e));
    }
}
