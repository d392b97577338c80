package dev.hfr.local;

import dev.hfr.browser.BrowserSession;
import dev.hfr.browser.CompositionPage;
import dev.hfr.model.FileTrees;
import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.assemble.AssembleService;
import dev.hfr.engine.chunk.RenderChunkService;
import dev.hfr.engine.plan.PlanService;
import dev.hfr.engine.support.WarmUp;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded local mode: Plan, then RenderChunk on {@code workers} threads (each keeping its own
 * browser across chunks; the plan's probe page renders the first chunk and the other workers' browsers start
 * while the plan runs), then Assemble — the same services the cloud functions run, on a work
 * directory laid out like the S3 prefix. Retryable chunk failures are retried up to
 * {@link Limits#MAX_CHUNK_ATTEMPTS} times; a non-retryable one stops the render with its code.
 */
public final class LocalRenderer {
    /**
     * {@code -Dhfr.local.warmStart=false} turns off the probe page's hand-over and the browsers started during the
     * plan (every worker then starts its browser after the plan, as before): for paired benchmarks only.
     */
    static final boolean WARM_START = !"false".equals(System.getProperty("hfr.local.warmStart"));
    private final EngineOptions options;
    private final PlanService planService;
    private final RenderChunkService chunkService;
    private final AssembleService assembleService;

    public LocalRenderer(EngineOptions options) {
        this.options = options;
        WarmUp.start(options);
        this.planService = new PlanService(options);
        this.chunkService = new RenderChunkService(options);
        this.assembleService = new AssembleService(options, false); // no progress document here: no poster/sheet
    }

    /**
     * What differs on one machine: a font family that no canonical web font covers (e.g. Impact) falls back to the
     * browser's own font with a plan warning, as HyperFrames' CLI does locally, unless the config sets
     * {@code failClosedFontFetch}; the cloud plan keeps HyperFrames' distributed default (fail closed), where every
     * worker must draw the same glyphs.
     */
    public static RenderConfig localDefaults(RenderConfig config) {
        RenderConfig c = config == null ? RenderConfig.empty() : config;
        if (c.failClosedFontFetch() != null) {
            return c;
        }
        return c.toBuilder().failClosedFontFetch(Boolean.FALSE).build();
    }

    /**
     * {@code hf render}'s chunking when the config names none: one chunk per worker. Every extra chunk costs an
     * ffmpeg start, an encoder flush and an IDR frame, and the workers keep their browsers anyway (the cloud default
     * of 16 suits 16 Lambdas, not 2 cores). Callers that measure what {@code hf render} does use it too (the bench).
     */
    public static RenderConfig oneChunkPerWorker(RenderConfig config, int workers) {
        if (config.chunkSize() != null || config.maxParallelChunks() != null) {
            return config;
        }
        return config.toBuilder().maxParallelChunks(Math.max(1, workers)).build();
    }

    public LocalRenderSummary render(LocalRenderRequest request, RenderProgress progress) {
        long t0 = System.nanoTime();
        Path workDir = request.workDir() != null ? request.workDir() : WorkDirs.create(options.workRoot(), "render-");
        boolean success = false;
        Warm warm = new Warm();
        try {
            Files.createDirectories(workDir);
            String prefix = workDir.toAbsolutePath().toString();
            progress.stage("plan");
            int maxParallel = request.config() != null && request.config().maxParallelChunks() != null
                    ? request.config().maxParallelChunks() : Integer.MAX_VALUE;
            RenderConfig config = localDefaults(request.config());
            int wantedWorkers = Math.max(1, Math.min(request.workers(), maxParallel));
            PlanResult plan = planService.plan(new PlanEvent(Step.PLAN.wireName(), request.project(), prefix, request.output(),
                    config, null), new PlanService.PlanListener() {
                        @Override
                        public void stage(String name) {
                            progress.stage(name);
                        }

                        @Override
                        public void probing(int width, int height) {
                            // the probe's loaded page goes on to render the first chunk; the other workers'
                            // browsers start now, while the plan probes, extracts media and publishes
                            if (WARM_START) {
                                startBrowsers(wantedWorkers - 1, width, height, warm);
                            }
                        }

                        @Override
                        public boolean keepProbePage(CompositionPage page) {
                            if (!WARM_START) {
                                return false;
                            }
                            warm.probePage = page;
                            return true;
                        }
                    });
            long planMillis = (System.nanoTime() - t0) / 1_000_000;
            warm.handTo(chunkService, plan.planHash());
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
            warm.close();
            chunkService.closeWarm();
            if (request.workDir() == null && (!request.keepWorkDir() || !success)) {
                FileTrees.deleteQuietly(workDir);
            }
        }
    }

    /**
     * Starts {@code count} browsers one after the other on a daemon thread. One the chunks do not fit (another size,
     * or fewer chunks than workers) is closed unused; a failed start leaves the chunk to start its own and report.
     */
    private void startBrowsers(int count, int width, int height, Warm warm) {
        if (count <= 0 || warm.starter != null) {
            return;
        }
        warm.starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hfr-browser-start");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < count; i++) {
            warm.browsers.add(CompletableFuture.supplyAsync(
                    () -> BrowserSession.start(options.browser(), width, height), warm.starter));
        }
        warm.starter.shutdown();
    }

    /** The browsers started for one render and the probe page, until the chunk service takes them over. */
    private static final class Warm implements AutoCloseable {
        private final List<CompletableFuture<BrowserSession>> browsers = new ArrayList<>();
        private ExecutorService starter;
        private CompositionPage probePage;

        void handTo(RenderChunkService chunks, String planHash) {
            if (probePage != null) {
                chunks.offerWarm(planHash, probePage);
                probePage = null;
            }
            browsers.forEach(chunks::offerWarm);
            browsers.clear();
        }

        @Override
        public void close() {
            if (probePage != null) {
                probePage.close();
                probePage = null;
            }
            // a start under way is not interrupted (that could leave its process behind): it is closed once started
            browsers.forEach(f -> f.thenAccept(BrowserSession::close));
            browsers.clear();
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
