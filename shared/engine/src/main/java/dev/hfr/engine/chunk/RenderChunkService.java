package dev.hfr.engine.chunk;

import dev.hfr.browser.BrowserSession;
import dev.hfr.browser.CompositionPage;
import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.EngineVersion;
import dev.hfr.engine.Steps;
import dev.hfr.engine.plan.PlanService;
import dev.hfr.engine.support.PlanCache;
import dev.hfr.engine.support.PlanStore;
import dev.hfr.engine.support.Tar;
import dev.hfr.engine.support.WorkDirs;
import dev.hfr.ffmpeg.ChunkEncoder;
import dev.hfr.ffmpeg.EncodeStats;
import dev.hfr.model.ChunkSlice;
import dev.hfr.model.CompositionInfo;
import dev.hfr.model.EncoderSettings;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.FileTrees;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.PlanManifest;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.Sha256;
import dev.hfr.model.Step;
import dev.hfr.model.StorageUri;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The render-chunk step: check the worker against the plan, materialise the artifacts this chunk
 * needs, seek the composition frame by frame in one browser page and stream the captured frames
 * into ffmpeg, which encodes a chunk that concatenates without re-encoding.
 */
public final class RenderChunkService implements Steps.RenderChunk {
    /** Materialised plans under the work root, by plan hash (a bounded {@link PlanCache}). */
    public static final String PLAN_CACHE_DIR = "plans";
    private final EngineOptions options;
    private final PageCache pages;

    public RenderChunkService(EngineOptions options) {
        this.options = options;
        this.pages = new PageCache(options.browser());
    }

    @Override
    public RenderChunkResult renderChunk(RenderChunkEvent event) {
        return renderChunk(event, ChunkListener.NONE);
    }

    public RenderChunkResult renderChunk(RenderChunkEvent event, ChunkListener listener) {
        long t0 = System.nanoTime();
        if (event.planManifestS3Uri() == null || event.chunkOutputS3Prefix() == null) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "renderChunk event needs PlanManifestS3Uri and ChunkOutputS3Prefix");
        }
        PlanStore store = PlanStore.forManifest(options.storage(), event.planManifestS3Uri());
        store.checkChunkEvent(event.chunkOutputS3Prefix());
        PlanManifest plan = store.readManifest(event.planHash());
        if (!EngineVersion.VALUE.equals(plan.engineVersion())) {
            throw new RenderException(ErrorCode.PLAN_PROTOCOL_UNSUPPORTED, "the plan was made by " + plan.engineVersion()
                    + " but this worker runs " + EngineVersion.VALUE + "; re-plan with the worker's version");
        }
        String localFfmpeg = options.ffmpeg().version();
        if (!localFfmpeg.equals(plan.ffmpegVersion())) {
            throw new RenderException(ErrorCode.FFMPEG_VERSION_MISMATCH, "the plan was made with ffmpeg "
                    + plan.ffmpegVersion() + " but this worker has " + localFfmpeg
                    + "; chunks from different encoders may not concatenate: deploy one ffmpeg everywhere");
        }
        ChunkSlice slice = plan.chunk(event.chunkIndex());
        OutputFormat format = plan.outputFormat();
        if (event.format() != null && !event.format().equals(format.wireName())) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "event Format " + event.format()
                    + " differs from the plan's " + format.wireName());
        }
        long tPlan = System.nanoTime();
        PlanCache cache = new PlanCache(options.workRoot().resolve(PLAN_CACHE_DIR), options.planCacheMaxBytes());
        PlanCache.Lease lease = cache.lease(plan.planHash());
        Path work = null;
        try {
            Path planDir = lease.dir();
            store.materializeChunk(plan, slice.index(), planDir);
            cache.evict();
            listener.stage(slice.index(), "page");
            work = WorkDirs.create(options.workRoot(), "chunk-" + slice.index() + "-");
            CompositionInfo c = plan.composition();
            EncoderSettings enc = plan.encoder();
            long tBoot = System.nanoTime();
            CompositionPage page = pages.get(planDir.resolve(PlanService.COMPILED), plan.planHash(), c.width(),
                    c.height(), c.fps());
            long bootMillis = (System.nanoTime() - tBoot) / 1_000_000;
            Path out = format == OutputFormat.PNG_SEQUENCE ? work.resolve("frames") : work.resolve("chunk" + format.extension());
            long captureNanos = 0;
            EncodeStats stats;
            try (ChunkEncoder encoder = ChunkEncoder.open(options.ffmpeg(), out, enc, format, c.fps(), c.width(),
                    c.height(), slice.frameCount(), slice.startFrame())) {
                for (int g = slice.startFrame(); g < slice.endFrame(); g++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new RenderException(ErrorCode.INTERRUPTED, "chunk " + slice.index() + " interrupted");
                    }
                    long tc = System.nanoTime();
                    byte[] frame;
                    try {
                        frame = page.captureFrame(g, enc.captureFormat(), enc.jpegQuality());
                    } catch (RenderException e) {
                        pages.discard();
                        throw e;
                    } catch (RuntimeException e) {
                        pages.discard();
                        throw new RenderException(ErrorCode.CAPTURE_FAILED, "capturing frame " + g + " of chunk "
                                + slice.index() + " failed: " + e.getMessage(), e);
                    }
                    captureNanos += System.nanoTime() - tc;
                    encoder.writeFrame(frame);
                    listener.frame(slice.index(), g);
                }
                stats = encoder.finish();
            }
            Path artifact = out;
            if (format == OutputFormat.PNG_SEQUENCE) {
                artifact = work.resolve("chunk.tar");
                Tar.pack(out, artifact);
            }
            String sha = Sha256.hex(artifact);
            String chunkUri = RenderKeys.chunk(event.chunkOutputS3Prefix(), slice.index(), format);
            options.storage().upload(artifact, StorageUri.parse(chunkUri));
            // after the chunk: assemble checks the chunk against it when its event carries no ChunkSha256s
            options.storage().write(StorageUri.parse(RenderKeys.chunkDigest(event.chunkOutputS3Prefix(), slice.index())),
                    sha.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            listener.done(slice.index(), new ChunkTimings((tBoot - tPlan) / 1_000_000, bootMillis,
                    captureNanos / 1_000_000, stats.encodeMillis(), millis));
            return new RenderChunkResult(Step.RENDER_CHUNK.wireName(), chunkUri, slice.index(), sha, slice.frameCount(),
                    page.captureMode(), millis);
        } catch (RuntimeException e) {
            throw RenderException.wrap(e);
        } finally {
            FileTrees.deleteQuietly(work);
            lease.close();
        }
    }

    /** Closes the browsers this service opened on the calling thread. */
    public void closeThreadResources() {
        pages.close();
    }

    /**
     * Hands a loaded page of plan {@code planHash} to the next chunk of that plan, size and frame rate that needs a
     * browser, from any thread (local mode: the plan's probe page, so the first chunk starts no browser). It is
     * moved to the chunk's copy of the site; the service closes it if no chunk fits it ({@link #closeWarm}).
     */
    public void offerWarm(String planHash, CompositionPage page) {
        pages.offer(planHash, page);
    }

    /**
     * Hands a browser (started or still starting) to the next chunk of its size that needs one: local mode starts
     * them while the plan runs. A chunk that takes one still starting waits for it rather than start another.
     */
    public void offerWarm(CompletableFuture<BrowserSession> browser) {
        pages.offer(browser);
    }

    /** Closes the offered pages and browsers no chunk took. */
    public void closeWarm() {
        pages.closeWarm();
    }

    /** Where a chunk spent its time. */
    public record ChunkTimings(long planMillis, long browserBootMillis, long captureMillis, long encodeMillis, long totalMillis) {
    }

    /** Progress callbacks (local mode's progress bar). */
    public interface ChunkListener {
        ChunkListener NONE = new ChunkListener() {
        };

        default void stage(int chunk, String stage) {
        }

        default void frame(int chunk, int globalFrame) {
        }

        default void done(int chunk, ChunkTimings timings) {
        }
    }
}
