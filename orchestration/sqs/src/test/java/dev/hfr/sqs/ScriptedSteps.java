package dev.hfr.sqs;

import dev.hfr.engine.Engine;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.Storage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test {@link Engine} whose three steps are plain Java: plan derives the chunk count from
 * {@code Config.chunkSize} over {@link #TOTAL_FRAMES} frames, renderChunk writes a tiny fake chunk through
 * Storage, assemble concatenates the chunks into the output (publishing it once). Every call is recorded,
 * and {@link #onChunk} lets a test script delays and failures per chunk.
 */
final class ScriptedSteps {
    static final int TOTAL_FRAMES = 60;

    /** Called at the start of each renderChunk; may throw a RenderException or take time. */
    interface ChunkScript {
        void before(RenderChunkEvent e, int attemptOfThisIndex);
    }

    /** One renderChunk call, recorded when it starts (so a render still running counts). */
    record ChunkCall(String renderId, int index, long startNanos) {
    }

    final Storage storage;
    final List<PlanEvent> plans = new CopyOnWriteArrayList<>();
    final List<ChunkCall> chunkCalls = new CopyOnWriteArrayList<>();
    final List<AssembleEvent> assembles = new CopyOnWriteArrayList<>();
    final AtomicInteger outputsPublished = new AtomicInteger();
    final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    volatile ChunkScript onChunk = (e, attempt) -> { };

    ScriptedSteps(Storage storage) {
        this.storage = storage;
    }

    Engine engine() {
        return new Engine(storage, this::plan, this::renderChunk, this::assemble);
    }

    long chunkCalls(String renderId, int index) {
        return chunkCalls.stream().filter(c -> c.renderId().equals(renderId) && c.index() == index).count();
    }

    long chunkCalls(String renderId) {
        return chunkCalls.stream().filter(c -> c.renderId().equals(renderId)).count();
    }

    private PlanResult plan(PlanEvent e) {
        plans.add(e);
        int chunkSize = e.config() != null && e.config().chunkSize() != null ? e.config().chunkSize() : TOTAL_FRAMES;
        int chunks = (TOTAL_FRAMES + chunkSize - 1) / chunkSize;
        String prefix = e.planOutputS3Prefix();
        String manifest = RenderKeys.planManifest(prefix);
        storage.write(StorageUri.parse(manifest), ("{\"renderId\":\"" + e.renderId() + "\",\"chunks\":" + chunks + "}")
                .getBytes(StandardCharsets.UTF_8));
        return new PlanResult("plan", e.renderId(), "hash-" + e.renderId(), manifest, prefix, chunks, TOTAL_FRAMES, 30,
                64, 36, "mp4", false, "test-ffmpeg", "test-engine", 1, List.of(),
                (e.config() == null ? RenderConfig.empty() : e.config()).withDefaults().maxParallelChunks());
    }

    private RenderChunkResult renderChunk(RenderChunkEvent e) {
        long t0 = System.nanoTime();
        String id = e.renderId();
        int now = inFlight.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(id, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        chunkCalls.add(new ChunkCall(id, e.chunkIndex(), t0));
        try {
            int attempt = attempts.computeIfAbsent(id + "/" + e.chunkIndex(), k -> new AtomicInteger()).incrementAndGet();
            onChunk.before(e, attempt);
            String prefix = RenderKeys.prefixOfManifest(e.planManifestS3Uri());
            String key = RenderKeys.chunk(prefix, e.chunkIndex(), OutputFormat.MP4);
            storage.write(StorageUri.parse(key), (id + ":" + e.chunkIndex() + "\n").getBytes(StandardCharsets.UTF_8));
            return new RenderChunkResult("renderChunk", key, e.chunkIndex(), "sha-" + e.chunkIndex(), 10, "test",
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            inFlight.get(id).decrementAndGet();
        }
    }

    private AssembleResult assemble(AssembleEvent e) {
        assembles.add(e);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String uri : e.chunkS3Uris()) {
            out.writeBytes(storage.read(StorageUri.parse(uri)));
        }
        byte[] bytes = out.toByteArray();
        // Publishing once, as the real assemble does: an existing output is not rewritten.
        if (storage.writeIfAbsent(StorageUri.parse(e.outputS3Uri()), bytes)) {
            outputsPublished.incrementAndGet();
        }
        return new AssembleResult("assemble", e.outputS3Uri(), TOTAL_FRAMES, bytes.length, 1);
    }
}
