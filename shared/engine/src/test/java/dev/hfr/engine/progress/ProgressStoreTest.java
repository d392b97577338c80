package dev.hfr.engine.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderCost;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.ProgressDocument.Status;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.LocalStorage;
import io.micronaut.serde.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressStoreTest {
    @TempDir
    Path dir;

    private String prefix() {
        return dir.resolve("render").toString();
    }

    @Test
    void aRenderWalksFromPlanningToSucceededAndThePublishedCopyIsTheHead() throws Exception {
        ProgressStore store = new ProgressStore(new LocalStorage());
        String p = prefix();
        assertNull(store.read(p));
        store.planning(p, "r1", "local", "/out/v.mp4");
        store.planned(p, "r1", List.of(30, 30, 12), "beginframe", 1200);
        store.chunkDone(p, "r1", 1, 400);
        store.failed(p, "r1", "renderChunk", ErrorCode.BROWSER_CRASHED, "renderer died", 0);
        store.chunkDone(p, "r1", 0, 500);
        store.chunkDone(p, "r1", 0, 500); // a redelivered success counts once
        store.chunkDone(p, "r1", 2, 200);
        assertTrue(store.beginAssemble(p, "r1"));
        ProgressDocument done = store.succeeded(p, "r1", "/out/v.mp4", "/out/v.poster.png", null, 300);

        assertEquals(Status.SUCCEEDED, done.status());
        assertEquals(72, done.framesTotal());
        assertEquals(72, done.framesDone());
        assertEquals(3, done.chunksDone());
        assertEquals(2, done.chunks().get(0).attempts());
        assertEquals("BROWSER_CRASHED", done.chunks().get(0).lastErrorCode());
        assertEquals(1, done.errors().size());
        assertTrue(done.errors().get(0).retryable());
        assertEquals(1100L, done.timingsMs().get("render"));
        assertEquals(1200L, done.timingsMs().get("plan"));
        assertEquals("beginframe", done.captureMode());
        assertNotNull(done.finishedAt());
        assertEquals(done, store.read(p));
        ProgressDocument published = ObjectMapper.getDefault().readValue(
                Files.readAllBytes(Path.of(RenderKeys.progress(p))), ProgressDocument.class);
        assertEquals(done.version(), published.version());
        assertEquals(1.0, done.fraction());
    }

    @Test
    void concurrentChunksNeverLoseEachOthersUpdates() throws Exception {
        ProgressStore store = new ProgressStore(new LocalStorage());
        String p = prefix();
        int chunks = 48;
        store.planning(p, "r2", "sqs", null);
        store.planned(p, "r2", Collections.nCopies(chunks, 10), null, 1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            int index = i;
            fs.add(pool.submit(() -> {
                store.chunkDone(p, "r2", index, 10);
                store.billed(p, "r2", new RenderCost.Invocation("renderChunk", 1000, 2048, 512, false));
            }));
        }
        for (Future<?> f : fs) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        ProgressDocument r = store.read(p);
        assertEquals(chunks, r.chunksDone());
        assertEquals(chunks * 10, r.framesDone());
        assertEquals(chunks, r.usage().invocations());
        assertEquals(chunks * 2.0, r.usage().x86GbSeconds(), 1e-9);
        assertEquals(2 + 2L * chunks, r.version());
    }

    @Test
    void aNonRetryableFailureEndsTheRenderAndTheFirstOneWins() {
        ProgressStore store = new ProgressStore(new LocalStorage());
        String p = prefix();
        store.planning(p, "r3", "stepfunctions", null);
        store.failed(p, "r3", "plan", ErrorCode.COMPOSITION_INVALID, "no data-duration on #root", null);
        ProgressDocument after = store.failed(p, "r3", "plan", ErrorCode.TIMEOUT, "later", null);
        assertEquals(Status.FAILED, after.status());
        assertEquals("COMPOSITION_INVALID", after.failure().code());
        assertEquals(1, after.errors().size());
    }

    @Test
    void aCancelBeforeTheAssembleWinsAndTheAssembleMustNotPublish() {
        ProgressStore store = new ProgressStore(new LocalStorage());
        String p = prefix();
        store.planning(p, "r4", "local", null);
        store.planned(p, "r4", List.of(10, 10), null, 5);
        assertFalse(store.cancelRequested(p));
        ProgressDocument c = store.requestCancel(p, "r4", "test");
        assertEquals(Status.CANCELLED, c.status());
        assertTrue(store.cancelRequested(p));
        assertEquals(Status.CANCELLED, store.chunkDone(p, "r4", 0, 1).status(), "a late chunk changes nothing");
        assertFalse(store.beginAssemble(p, "r4"));
        assertEquals(Status.CANCELLED, store.succeeded(p, "r4", "/o.mp4", null, null, 1).status());
    }

    @Test
    void aCancelAfterTheAssembleStartedIsRefused() {
        ProgressStore store = new ProgressStore(new LocalStorage());
        String p = prefix();
        store.planning(p, "r5", "local", null);
        store.planned(p, "r5", List.of(10), null, 5);
        store.chunkDone(p, "r5", 0, 1);
        assertTrue(store.beginAssemble(p, "r5"));
        assertTrue(store.beginAssemble(p, "r5"), "a redelivered assemble goes on");
        ProgressDocument c = store.requestCancel(p, "r5", "test");
        assertEquals(Status.ASSEMBLING, c.status());
        assertFalse(store.cancelRequested(p), "no marker when the cancel came too late");
    }

    @Test
    void cancelAndAssembleRacingOnManyThreadsAlwaysHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 20; round++) {
            ProgressStore store = new ProgressStore(new LocalStorage());
            String p = dir.resolve("race-" + round).toString();
            store.planning(p, "r", "sqs", null);
            store.planned(p, "r", List.of(1), null, 1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<Boolean> assemble = pool.submit(() -> store.beginAssemble(p, "r"));
            Future<ProgressDocument> cancel = pool.submit(() -> store.requestCancel(p, "r", "race"));
            boolean assembled = assemble.get(30, TimeUnit.SECONDS);
            boolean cancelled = cancel.get(30, TimeUnit.SECONDS).status() == Status.CANCELLED;
            pool.shutdown();
            assertTrue(assembled ^ cancelled, "round " + round + ": assembled " + assembled + ", cancelled " + cancelled);
            assertEquals(cancelled, store.cancelRequested(p));
        }
    }

    @Test
    void aTornPublishedCopyIsReadFromTheVersions() throws Exception {
        ProgressStore store = new ProgressStore(new LocalStorage());
        String p = prefix();
        store.planning(p, "r6", "local", null);
        store.planned(p, "r6", List.of(5), null, 1);
        new LocalStorage().write(StorageUri.parse(RenderKeys.progress(p)), "{not json".getBytes());
        ProgressDocument r = store.chunkDone(p, "r6", 0, 1);
        assertEquals(3, r.version());
        assertEquals(1, r.chunksDone());
    }
}
