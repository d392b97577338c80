package dev.hfr.local;

import dev.hfr.model.FileTrees;
import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.assemble.AssembleService;
import dev.hfr.engine.chunk.RenderChunkService;
import dev.hfr.engine.plan.PlanService;
import dev.hfr.engine.support.WorkDirs;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.Limits;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded local mode: Plan, then RenderChunk on {@code workers} threads (each keeping its own
 * browser across chunks), then Assemble — the same services the cloud functions run, on a work
 * directory laid out like the S3 prefix. Retryable chunk failures are retried up to
 * {@link Limits#MAX_CHUNK_ATTEMPTS} times; a non-retryable one stops the render with its code.
 */
public final class LocalRenderer {
    private final EngineOptions options;
    private final PlanService planService;
    private final RenderChunkService chunkService;
    private final AssembleService assembleService;

    public LocalRenderer(EngineOptions options) {
        this.options = options;
        this.planService = new PlanService(options);
        this.chunkService = new RenderChunkService(options);
        this.assembleService = new AssembleService(options);
    }

    /**
     * What differs on one machine: a font family that no canonical web font covers (e.g. Impact) falls back to the
     * browser's own font with a plan warning, as HyperFrames' CLI does locally, unless the config sets
     * {@code failClosedFontFetch}; the cloud plan keeps HyperFrames' distributed default (fail closed), where every
     * worker must draw the same glyphs.
     */
    static RenderConfig localDefaults(RenderConfig config) {
        RenderConfig c = config == null ? RenderConfig.empty() : config;
        if (c.failClosedFontFetch() != null) {
            return c;
        }
        return c.toBuilder().failClosedFontFetch(Boolean.FALSE).build();
    }

    public LocalRenderSummary render(LocalRenderRequest request, RenderProgress progress) {
        long t0 = System.nanoTime();
        Path workDir = request.workDir() != null ? request.workDir() : WorkDirs.create(options.workRoot(), "render-");
        boolean success = false;
        try {
            Files.createDirectories(workDir);
            String prefix = workDir.toAbsolutePath().toString();
            progress.stage("plan");
            PlanResult plan = planService.plan(new PlanEvent(Step.PLAN.wireName(), request.project(), prefix, request.output(),
                    localDefaults(request.config()), null), progress::stage);
            long planMillis = (System.nanoTime() - t0) / 1_000_000;
            progress.planned(plan);
            if (plan.chunkCount() == 0) {
                throw new RenderException(ErrorCode.PLAN_TOO_LARGE, "the plan has zero chunks");
            }
            int workers = Math.max(1, Math.min(request.workers(), plan.chunkCount()));
            // the plan resolved the concurrency once (Config.maxParallelChunks or the default), as for the cloud
            workers = Math.min(workers, plan.maxParallelChunks());
            long t1 = System.nanoTime();
            AtomicLong capture = new AtomicLong();
            AtomicLong encode = new AtomicLong();
            AtomicReference<String> mode = new AtomicReference<>("beginframe");
            List<RenderChunkResult> results = renderChunks(plan, prefix, workers, progress, capture, encode, mode);
            long renderMillis = (System.nanoTime() - t1) / 1_000_000;
            progress.assembling();
            progress.stage("assemble");
            long t2 = System.nanoTime();
            AssembleResult out = assembleService.assemble(new AssembleEvent(Step.ASSEMBLE.wireName(), plan.planManifestS3Uri(),
                    plan.planHash(), results.stream().map(RenderChunkResult::chunkS3Uri).toList(), request.output(),
                    plan.format(), plan.renderId()));
            long assembleMillis = (System.nanoTime() - t2) / 1_000_000;
            success = true;
            return new LocalRenderSummary(out.outputS3Uri(), out.fileSize(), plan, out, planMillis, renderMillis,
                    capture.get(), encode.get(), assembleMillis, (System.nanoTime() - t0) / 1_000_000, workers, mode.get());
        } catch (java.io.IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot create work directory " + workDir + ": " + e.getMessage(), e);
        } finally {
            if (request.workDir() == null && (!request.keepWorkDir() || !success)) {
                FileTrees.deleteQuietly(workDir);
            }
        }
    }

    private List<RenderChunkResult> renderChunks(PlanResult plan, String prefix, int workers, RenderProgress progress,
                                                 AtomicLong capture, AtomicLong encode, AtomicReference<String> mode) {
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } finally {
                    chunkService.closeThreadResources();
                }
            }, "hfr-chunk-worker");
            t.setDaemon(true);
            return t;
        });
        List<Future<RenderChunkResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < plan.chunkCount(); i++) {
                final int index = i;
                futures.add(pool.submit(() -> renderWithRetry(plan, prefix, index, progress, capture, encode, mode)));
            }
            List<RenderChunkResult> results = new ArrayList<>();
            for (Future<RenderChunkResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw RenderException.wrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "render interrupted");
        } finally {
            futures.forEach(f -> f.cancel(true));
            pool.shutdownNow();
            // workers write into the work directory: let them stop before the caller removes it (briefly when
            // interrupted: the CLI has killed their browsers and encoders, so they fail at once)
            boolean interrupted = Thread.interrupted();
            try {
                pool.awaitTermination(interrupted ? 2 : 30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private RenderChunkResult renderWithRetry(PlanResult plan, String prefix, int index, RenderProgress progress,
                                              AtomicLong capture, AtomicLong encode, AtomicReference<String> mode) {
        RenderChunkEvent event = new RenderChunkEvent(Step.RENDER_CHUNK.wireName(), plan.planManifestS3Uri(), plan.planHash(), index,
                prefix, plan.format(), plan.renderId());
        RenderChunkService.ChunkListener listener = new RenderChunkService.ChunkListener() {
            @Override
            public void frame(int chunk, int globalFrame) {
                progress.frame(chunk, globalFrame);
            }

            @Override
            public void done(int chunk, RenderChunkService.ChunkTimings timings) {
                capture.addAndGet(timings.captureMillis());
                encode.addAndGet(timings.encodeMillis());
                progress.chunkDone(chunk, timings);
            }
        };
        for (int attempt = 1; ; attempt++) {
            try {
                RenderChunkResult r = chunkService.renderChunk(event, listener);
                if (!"beginframe".equals(r.captureMode())) {
                    mode.set(r.captureMode());
                }
                return r;
            } catch (RuntimeException e) {
                RenderException re = RenderException.wrap(e);
                if (Thread.currentThread().isInterrupted() || re.code() == ErrorCode.INTERRUPTED) {
                    throw new RenderException(ErrorCode.INTERRUPTED, "render interrupted");
                }
                if (!re.retryable() || attempt >= Limits.MAX_CHUNK_ATTEMPTS) {
                    throw re;
                }
                progress.chunkRetry(index, attempt, re.code().name(), re.getMessage());
            }
        }
    }
}
