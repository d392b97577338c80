package dev.hfr.engine.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.engine.Engine;
import dev.hfr.engine.Steps;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.ChunkSlicer;
import dev.hfr.model.CompositionInfo;
import dev.hfr.model.EncoderSettings;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanHash;
import dev.hfr.model.PlanManifest;
import dev.hfr.model.PlanResult;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderCost;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.LocalStorage;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.Storage;
import dev.hfr.storage.StorageConfig;
import io.micronaut.serde.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps with their progress document, cancellation and bucket guard, over scripted inner steps. */
class ProgressStepsTest {
    @TempDir
    Path dir;

    private final Storage storage = new LocalStorage();
    private final AtomicInteger innerCalls = new AtomicInteger();

    private String prefix() {
        return dir.resolve("r").toString();
    }

    private String manifestUri() {
        return RenderKeys.planManifest(prefix());
    }

    /** A plan step that writes a real manifest of 60 frames in chunks of 15, as the plan service does. */
    private Steps.Plan scriptedPlan() {
        return event -> {
            innerCalls.incrementAndGet();
            EncoderSettings enc = new EncoderSettings("libx264", "standard", "medium", 18, null, "yuv420p", "jpeg", 95, null);
            PlanManifest m = new PlanManifest(PlanManifest.SCHEMA, null, "r", "0.1.0", "6.0", "mp4",
                    new CompositionInfo("main", 640, 360, 30, 2.0, 60, 0, 0), enc, ChunkSlicer.slice(60, 15, 16, null), false,
                    List.of(), List.of());
            String hash = PlanHash.compute(m);
            try {
                storage.write(StorageUri.parse(manifestUri()), ObjectMapper.getDefault().writeValueAsBytes(m.withPlanHash(hash)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new PlanResult("plan", "r", hash, manifestUri(), prefix(), 4, 60, 30, 640, 360, "mp4", false, "6.0",
                    "0.1.0", 5, List.of());
        };
    }

    private RenderChunkEvent chunkEvent(int i) {
        return new RenderChunkEvent("renderChunk", manifestUri(), "h", i, prefix() + "/chunks", "mp4", "r");
    }

    private static RenderChunkResult chunkResult(int i) {
        return new RenderChunkResult("renderChunk", "/c/" + i, i, "s".repeat(64), 15, "beginframe", 10);
    }

    private AssembleEvent assembleEvent() {
        return new AssembleEvent("assemble", manifestUri(), "h", null, dir.resolve("out.mp4").toString(), "mp4", "r", null);
    }

    @Test
    void aRenderThroughTheWrappedStepsFillsTheDocument() {
        Steps.Plan plan = ProgressSteps.plan(storage, scriptedPlan(), null);
        Steps.RenderChunk chunk = ProgressSteps.renderChunk(storage, e -> chunkResult(e.chunkIndex()), null);
        Steps.Assemble assemble = ProgressSteps.assemble(storage,
                e -> new AssembleResult("assemble", e.outputS3Uri(), 60, 1000, 20), null);
        plan.plan(new PlanEvent("plan", "/p.tar.gz", prefix(), dir.resolve("out.mp4").toString(), null, null));
        ProgressDocument planned = new ProgressStore(storage).read(prefix());
        assertEquals("r", planned.renderId(), "the id the plan generated names the render");
        assertEquals(ProgressDocument.Status.RENDERING, planned.status());
        assertEquals(60, planned.framesTotal());
        assertEquals(List.of(15, 15, 15, 15), planned.chunks().stream().map(ProgressDocument.ChunkState::frames).toList());
        for (int i = 0; i < 4; i++) {
            chunk.renderChunk(chunkEvent(i));
        }
        assemble.assemble(assembleEvent());
        ProgressDocument done = new ProgressStore(storage).read(prefix());
        assertEquals(ProgressDocument.Status.SUCCEEDED, done.status());
        assertEquals(60, done.framesDone());
        assertEquals("beginframe", done.captureMode());
        assertEquals(dir.resolve("out.mp4").toString(), done.outputUri());
        assertNull(done.posterUri(), "this assemble drew no poster");
        assertNull(done.contactSheetUri(), "nor a contact sheet");
    }

    @Test
    void theDocumentLinksThePosterAndContactSheetTheAssembleStored() {
        ProgressSteps.plan(storage, scriptedPlan(), null)
                .plan(new PlanEvent("plan", "/p.tar.gz", prefix(), dir.resolve("out.mp4").toString(), null, null));
        Steps.RenderChunk chunk = ProgressSteps.renderChunk(storage, e -> chunkResult(e.chunkIndex()), null);
        for (int i = 0; i < 4; i++) {
            chunk.renderChunk(chunkEvent(i));
        }
        ProgressSteps.assemble(storage, e -> {
            storage.write(StorageUri.parse(RenderKeys.poster(prefix())), new byte[] {1});
            storage.write(StorageUri.parse(RenderKeys.contactSheet(prefix())), new byte[] {2});
            return new AssembleResult("assemble", e.outputS3Uri(), 60, 1000, 20);
        }, null).assemble(assembleEvent());
        ProgressDocument done = new ProgressStore(storage).read(prefix());
        assertEquals(ProgressDocument.Status.SUCCEEDED, done.status());
        assertEquals(prefix() + "/poster.png", done.posterUri());
        assertEquals(prefix() + "/contact-sheet.png", done.contactSheetUri());
    }

    @Test
    void failuresAreRecordedRetryableAsAttemptsAndTheOthersEndTheRender() {
        ProgressSteps.plan(storage, scriptedPlan(), null)
                .plan(new PlanEvent("plan", "/p.tar.gz", prefix(), null, null, "r"));
        Steps.RenderChunk crash = ProgressSteps.renderChunk(storage, e -> {
            throw new RenderException(ErrorCode.BROWSER_CRASHED, "renderer died");
        }, null);
        assertThrows(RenderException.class, () -> crash.renderChunk(chunkEvent(2)));
        ProgressDocument d = new ProgressStore(storage).read(prefix());
        assertEquals(ProgressDocument.Status.RENDERING, d.status());
        assertEquals(1, d.chunks().get(2).attempts());
        assertEquals("BROWSER_CRASHED", d.chunks().get(2).lastErrorCode());
        Steps.RenderChunk stale = ProgressSteps.renderChunk(storage, e -> {
            throw new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "stale");
        }, null);
        assertThrows(RenderException.class, () -> stale.renderChunk(chunkEvent(1)));
        d = new ProgressStore(storage).read(prefix());
        assertEquals(ProgressDocument.Status.FAILED, d.status());
        assertEquals("PLAN_HASH_MISMATCH", d.failure().code());
        assertEquals(1, d.failure().chunk());
    }

    @Test
    void aCancelStopsARenderingChunkWithinASecondAndNothingRunsAfterIt() throws Exception {
        ProgressSteps.plan(storage, scriptedPlan(), null)
                .plan(new PlanEvent("plan", "/p.tar.gz", prefix(), null, null, "r"));
        CountDownLatch rendering = new CountDownLatch(1);
        // like the real frame loop: render frames until the thread is interrupted (bounded: 30 s)
        Steps.RenderChunk looping = ProgressSteps.renderChunk(storage, e -> {
            rendering.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new RenderException(ErrorCode.INTERRUPTED, "chunk " + e.chunkIndex() + " interrupted");
                }
                LockSupport.parkNanos(5_000_000);
            }
            return chunkResult(e.chunkIndex());
        }, null);
        Thread canceller = new Thread(() -> {
            try {
                rendering.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            new ProgressStore(storage).requestCancel(prefix(), "r", "test");
        });
        canceller.start();
        long t0 = System.nanoTime();
        RenderException e = assertThrows(RenderException.class, () -> looping.renderChunk(chunkEvent(0)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        canceller.join(30_000);
        assertEquals(ErrorCode.INTERRUPTED, e.code());
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
        assertTrue(ms < 3_000, "the chunk ran on for " + ms + " ms after it started; the cancel must stop it within ~1 s");
        assertFalse(Thread.currentThread().isInterrupted(), "the worker thread must start its next task clean");
        ProgressDocument d = new ProgressStore(storage).read(prefix());
        assertEquals(ProgressDocument.Status.CANCELLED, d.status());
        assertFalse(d.chunks().get(0).done());
        assertTrue(d.errors().isEmpty(), "a cancel is not a failure: " + d.errors());

        innerCalls.set(0);
        Steps.RenderChunk next = ProgressSteps.renderChunk(storage, ev -> {
            innerCalls.incrementAndGet();
            return chunkResult(ev.chunkIndex());
        }, null);
        assertEquals(ErrorCode.INTERRUPTED, assertThrows(RenderException.class, () -> next.renderChunk(chunkEvent(1))).code());
        Steps.Assemble assemble = ProgressSteps.assemble(storage, ev -> {
            innerCalls.incrementAndGet();
            return new AssembleResult("assemble", ev.outputS3Uri(), 60, 1, 1);
        }, null);
        assertEquals(ErrorCode.INTERRUPTED, assertThrows(RenderException.class, () -> assemble.assemble(assembleEvent())).code());
        assertEquals(0, innerCalls.get(), "no step may run after a cancel");
        assertFalse(Files.exists(dir.resolve("out.mp4")));
    }

    @Test
    void eventsOutsideTheRenderBucketAreRefusedBeforeAnyProgressIsWritten() {
        RoutingStorage guarded = new RoutingStorage(new StorageConfig(null, null, false, "render-bucket"), () -> {
            throw new AssertionError("no S3 call expected");
        });
        Steps.Plan plan = ProgressSteps.plan(guarded, scriptedPlan(), null);
        RenderException e = assertThrows(RenderException.class,
                () -> plan.plan(new PlanEvent("plan", "/p.tar.gz", prefix(), null, null, "r")));
        assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, e.code(), e.getMessage());
        assertEquals(0, innerCalls.get());
        assertFalse(Files.exists(Path.of(RenderKeys.progress(prefix()))), "nothing may be written next to a refused prefix");
        assertNull(new ProgressStore(storage).read(prefix()));
    }

    /** A receiver on 127.0.0.1 that checks each call's signature. */
    private static final class Receiver implements AutoCloseable {
        final com.sun.net.httpserver.HttpServer server;
        final List<String> bodies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final List<Boolean> verified = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        Receiver(String secret) throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                bodies.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                verified.add(dev.hfr.engine.webhook.WebhookSignature.verify(secret, body,
                        ex.getRequestHeaders().getFirst("X-Hfr-Signature")));
                ex.sendResponseHeaders(204, -1);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/done";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void theWebhookIsToldOnceHowTheRenderEnded() throws Exception {
        try (Receiver rx = new Receiver("k1")) {
            dev.hfr.model.Webhook hook = new dev.hfr.model.Webhook(rx.url(), "k1", Map.of("job", "j-7"));
            Steps.Plan plan = ProgressSteps.plan(storage, scriptedPlan(), null);
            plan.plan(new PlanEvent("plan", "/p.tar.gz", prefix(), dir.resolve("out.mp4").toString(), null, "r", hook));
            Steps.RenderChunk chunk = ProgressSteps.renderChunk(storage, e -> chunkResult(e.chunkIndex()), null);
            for (int i = 0; i < 4; i++) {
                chunk.renderChunk(chunkEvent(i));
            }
            assertTrue(rx.bodies.isEmpty(), "no call before the end: " + rx.bodies);
            Steps.Assemble assemble = ProgressSteps.assemble(storage,
                    e -> new AssembleResult("assemble", e.outputS3Uri(), 60, 1000, 20), null);
            assemble.assemble(assembleEvent());
            assemble.assemble(assembleEvent()); // a redelivered assemble: the render had already ended
            assertEquals(1, rx.bodies.size(), rx.bodies::toString);
            assertEquals(List.of(true), rx.verified);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = ObjectMapper.getDefault().readValue(rx.bodies.get(0), Map.class);
            assertEquals("success", body.get("Type"));
            assertEquals("r", body.get("RenderId"));
            assertEquals(dir.resolve("out.mp4").toString(), body.get("OutputS3Uri"));
            assertEquals(60, ((Number) body.get("FramesRendered")).intValue());
            assertEquals("j-7", ((Map<?, ?>) body.get("CustomData")).get("job"));
        }
    }

    @Test
    void aFailedRenderSendsOneErrorCallAndABadWebhookIsRefusedBeforeAnyWork() throws Exception {
        try (Receiver rx = new Receiver("k2")) {
            dev.hfr.model.Webhook hook = new dev.hfr.model.Webhook(rx.url(), "k2", null);
            ProgressSteps.plan(storage, scriptedPlan(), null)
                    .plan(new PlanEvent("plan", "/p.tar.gz", prefix(), null, null, "r", hook));
            Steps.RenderChunk stale = ProgressSteps.renderChunk(storage, e -> {
                throw new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "stale plan");
            }, null);
            assertThrows(RenderException.class, () -> stale.renderChunk(chunkEvent(0)));
            assertThrows(RenderException.class, () -> stale.renderChunk(chunkEvent(1)));
            assertEquals(1, rx.bodies.size(), rx.bodies::toString);
            assertTrue(rx.bodies.get(0).contains("\"Type\":\"error\"") && rx.bodies.get(0).contains("PLAN_HASH_MISMATCH"),
                    rx.bodies.get(0));
        }
        innerCalls.set(0);
        String other = dir.resolve("bad").toString();
        RenderException e = assertThrows(RenderException.class, () -> ProgressSteps.plan(storage, scriptedPlan(), null)
                .plan(new PlanEvent("plan", "/p.tar.gz", other, null, null, "r",
                        new dev.hfr.model.Webhook("file:///etc/passwd", "", null))));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("Webhook.Url") && e.getMessage().contains("Webhook.Secret"), e.getMessage());
        assertEquals(0, innerCalls.get());
        assertFalse(Files.exists(Path.of(RenderKeys.webhook(other))));
    }

    @Test
    void aRunningChunkStopsAtTheDeadlineAndTheRenderEndsWithATimeoutCall() throws Exception {
        try (Receiver rx = new Receiver("k3")) {
            dev.hfr.model.Webhook hook = new dev.hfr.model.Webhook(rx.url(), "k3", Map.of("job", "j-9"));
            ProgressSteps.plan(storage, scriptedPlan(), null, java.time.Duration.ofMillis(1500))
                    .plan(new PlanEvent("plan", "/p.tar.gz", prefix(), null, null, "r", hook));
            java.time.Instant deadline = java.time.Instant.parse(ObjectMapper.getDefault()
                    .readValue(Files.readAllBytes(Path.of(RenderKeys.deadline(prefix()))), Map.class).get("deadlineAt").toString());
            // like the real frame loop: frames until the thread is interrupted (bounded: 30 s)
            Steps.RenderChunk looping = ProgressSteps.renderChunk(storage, e -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < end) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new RenderException(ErrorCode.INTERRUPTED, "chunk " + e.chunkIndex() + " interrupted");
                    }
                    LockSupport.parkNanos(5_000_000);
                }
                return chunkResult(e.chunkIndex());
            }, null);
            RenderException e = assertThrows(RenderException.class, () -> looping.renderChunk(chunkEvent(0)));
            long lateMs = java.time.Duration.between(deadline, java.time.Instant.now()).toMillis();
            assertEquals(ErrorCode.RENDER_TIMEOUT, e.code(), e::toString);
            assertTrue(lateMs <= 1000, "the chunk stopped " + lateMs + " ms after the deadline");
            assertFalse(Thread.currentThread().isInterrupted(), "the worker thread must start its next task clean");
            ProgressDocument d = new ProgressStore(storage).read(prefix());
            assertEquals(ProgressDocument.Status.FAILED, d.status());
            assertEquals("RENDER_TIMEOUT", d.failure().code());
            assertEquals(1, rx.bodies.size(), rx.bodies::toString);
            assertEquals(List.of(true), rx.verified);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = ObjectMapper.getDefault().readValue(rx.bodies.get(0), Map.class);
            assertEquals("timeout", body.get("Type"));
            assertEquals("j-9", ((Map<?, ?>) body.get("CustomData")).get("job"));

            // after the deadline no step runs, and no second call is made
            innerCalls.set(0);
            Steps.RenderChunk next = ProgressSteps.renderChunk(storage, ev -> {
                innerCalls.incrementAndGet();
                return chunkResult(ev.chunkIndex());
            }, null);
            assertEquals(ErrorCode.RENDER_TIMEOUT, assertThrows(RenderException.class, () -> next.renderChunk(chunkEvent(1))).code());
            Steps.Assemble assemble = ProgressSteps.assemble(storage, ev -> {
                innerCalls.incrementAndGet();
                return new AssembleResult("assemble", ev.outputS3Uri(), 60, 1, 1);
            }, null);
            assertEquals(ErrorCode.RENDER_TIMEOUT, assertThrows(RenderException.class, () -> assemble.assemble(assembleEvent())).code());
            assertEquals(0, innerCalls.get(), "no step may run after the deadline");
            assertEquals(1, rx.bodies.size(), "one call: " + rx.bodies);
        }
    }

    @Test
    void aRetriedPlanKeepsTheFirstDeadline() throws Exception {
        ProgressSteps.plan(storage, scriptedPlan(), null, java.time.Duration.ofHours(1))
                .plan(new PlanEvent("plan", "/p.tar.gz", prefix(), null, null, "r"));
        byte[] first = Files.readAllBytes(Path.of(RenderKeys.deadline(prefix())));
        ProgressSteps.plan(storage, scriptedPlan(), null, java.time.Duration.ofHours(5))
                .plan(new PlanEvent("plan", "/p.tar.gz", prefix(), null, null, "r"));
        assertEquals(new String(first), new String(Files.readAllBytes(Path.of(RenderKeys.deadline(prefix())))));
        assertTrue(new String(first).contains("\"timeoutSeconds\":3600"), new String(first));
    }

    @Test
    void theEngineWrapsItsStepsWithTheBillingAndTheRenderTimeoutItIsGiven() throws Exception {
        Engine engine = new Engine(storage, scriptedPlan(), e -> chunkResult(e.chunkIndex()), e -> {
            throw new AssertionError("not called");
        }, new ProgressSteps.Billing(2048, 1024, true), java.time.Duration.ofSeconds(600));
        engine.plan().plan(new PlanEvent("plan", "/p.tar.gz", prefix(), null, null, "r"));
        String deadline = Files.readString(Path.of(RenderKeys.deadline(prefix())));
        assertTrue(deadline.contains("\"timeoutSeconds\":600"), deadline);
        RenderCost.Usage usage = new ProgressStore(storage).read(prefix()).usage();
        assertEquals(1, usage.invocations(), "the plan's invocation is billed: " + usage);
        assertEquals(0.0, usage.x86GbSeconds(), "an arm64 function: " + usage);
    }

    @Test
    void anEngineBuiltWithoutSettingsBillsNothingAndHasTheDefaultTimeout() throws Exception {
        Engine engine = new Engine(storage, scriptedPlan(), e -> chunkResult(e.chunkIndex()), e -> {
            throw new AssertionError("not called");
        });
        engine.plan().plan(new PlanEvent("plan", "/p.tar.gz", prefix(), null, null, "r"));
        String deadline = Files.readString(Path.of(RenderKeys.deadline(prefix())));
        assertTrue(deadline.contains("\"timeoutSeconds\":13440"), deadline);
        assertEquals(RenderCost.Usage.NONE, new ProgressStore(storage).read(prefix()).usage());
    }
}
