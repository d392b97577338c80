package dev.hfr.bench;

import dev.hfr.engine.chunk.RenderChunkService.ChunkTimings;
import dev.hfr.local.RenderProgress;
import dev.hfr.model.PlanResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records every chunk's {@link ChunkTimings} plus what the engine does not report: when a chunk started
 * (a worker thread renders its chunks one after another, so a chunk starts when the previous chunk of the
 * same thread finished, or when the plan was ready) and when its first and last frames were captured.
 * Callbacks arrive on the worker threads, which is what makes the per-thread bookkeeping possible.
 */
final class ChunkRecorder implements RenderProgress {
    /** One chunk; times are milliseconds since the plan was ready. */
    record Chunk(int index, String worker, double startMillis, double firstFrameMillis, double lastFrameMillis,
                 double doneMillis, int frames, ChunkTimings timings) {
    }

    private final Map<String, Double> threadFree = new ConcurrentHashMap<>();
    private final Map<Integer, double[]> frameTimes = new ConcurrentHashMap<>();
    private final Map<Integer, Double> starts = new ConcurrentHashMap<>();
    private final List<Chunk> done = new ArrayList<>();
    private final long createdNanos = System.nanoTime();
    private final long jvmUptimeAtStartMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    private final Map<String, Double> planStages = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private volatile long planReadyNanos = System.nanoTime();
    private volatile boolean planned;
    private final java.util.concurrent.atomic.AtomicLong firstFrameNanos = new java.util.concurrent.atomic.AtomicLong();

    /** Plan sub-stages (unpack, compile, probe, media, publish): when each began, ms after the render started. */
    @Override
    public void stage(String stage) {
        if (!planned) {
            planStages.putIfAbsent(stage, (System.nanoTime() - createdNanos) / 1e6);
        }
    }

    Map<String, Double> planStages() {
        synchronized (planStages) {
            return new java.util.LinkedHashMap<>(planStages);
        }
    }

    /** How long the JVM ran before the render started (JVM start, class loading, engine set-up). */
    long jvmUptimeAtStartMillis() {
        return jvmUptimeAtStartMillis;
    }

    @Override
    public void planned(PlanResult plan) {
        planReadyNanos = System.nanoTime();
        planned = true;
        planStages.put("planned", (planReadyNanos - createdNanos) / 1e6);
    }

    private double now() {
        return (System.nanoTime() - planReadyNanos) / 1e6;
    }

    @Override
    public void frame(int chunk, int globalFrame) {
        firstFrameNanos.compareAndSet(0, System.nanoTime());
        double t = now();
        String worker = Thread.currentThread().getName() + "#" + Thread.currentThread().threadId();
        starts.computeIfAbsent(chunk, c -> threadFree.getOrDefault(worker, 0.0));
        // [first, last, count]
        frameTimes.compute(chunk, (c, v) -> v == null ? new double[] {t, t, 1} : new double[] {v[0], t, v[2] + 1});
    }

    @Override
    public void chunkDone(int chunk, ChunkTimings timings) {
        double t = now();
        String worker = Thread.currentThread().getName() + "#" + Thread.currentThread().threadId();
        double start = starts.getOrDefault(chunk, threadFree.getOrDefault(worker, 0.0));
        threadFree.put(worker, t);
        double[] f = frameTimes.getOrDefault(chunk, new double[] {t, t, 0});
        synchronized (done) {
            done.add(new Chunk(chunk, worker, start, f[0], f[1], t, (int) f[2], timings));
        }
    }

    /**
     * Time to first frame: from the render's start (the engine set up, nothing started yet) until the first frame
     * was captured and handed to the encoder, in ms; -1 when no frame was.
     */
    double firstFrameMillis() {
        long t = firstFrameNanos.get();
        return t == 0 ? -1 : Math.round((t - createdNanos) / 1e4) / 100.0;
    }

    List<Chunk> chunks() {
        synchronized (done) {
            List<Chunk> copy = new ArrayList<>(done);
            copy.sort(Comparator.comparingInt(Chunk::index));
            return copy;
        }
    }
}
