package dev.hfr.sqs;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import dev.hfr.sqs.internal.Json;
import dev.hfr.sqs.internal.StatusStore;
import dev.hfr.storage.LocalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The status record's optimistic concurrency over plain conditional writes (LocalStorage, no LocalStack). */
@Tag("integration")
class StatusStoreTest {

    @Test
    void concurrentUpdatersLoseNothingAndStatusJsonEndsAtTheHead(@TempDir Path dir) throws Exception {
        LocalStorage storage = new LocalStorage();
        StatusStore store = new StatusStore(storage);
        String prefix = dir.resolve("render").toString();
        store.planning(prefix, "r1", "out.mp4");
        store.rendering(prefix, "r1", 40);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                store.attemptFailed(prefix, "r1", ErrorCode.CAPTURE_FAILED, "attempt " + n, n);
                store.chunksObserved(prefix, "r1", n);
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();

        RenderStatus s = ProgressReader.read(storage, prefix);
        assertEquals(RenderStatus.Status.RENDERING, s.status());
        assertEquals(40, s.errors().size(), "every concurrent attemptFailed survived");
        assertEquals(40, s.chunksDone(), "chunksDone is the largest count observed");
        RenderStatus published = Json.read(storage.read(StorageUri.parse(RenderKeys.status(prefix))), RenderStatus.class, "status.json");
        assertEquals(s, published, "status.json converged to the newest version");
    }

    @Test
    void terminalStatesAreFinalAndTheFirstFailureWins(@TempDir Path dir) {
        LocalStorage storage = new LocalStorage();
        StatusStore store = new StatusStore(storage);
        String prefix = dir.resolve("render").toString();
        store.planning(prefix, "r2", "out.mp4");
        store.rendering(prefix, "r2", 3);
        store.failed(prefix, "r2", ErrorCode.PLAN_HASH_MISMATCH, "first", 1);
        store.failed(prefix, "r2", ErrorCode.BROWSER_CRASHED, "second", 2);
        store.succeeded(prefix, "r2", "out.mp4");
        store.chunksObserved(prefix, "r2", 3);

        RenderStatus s = ProgressReader.read(storage, prefix);
        assertEquals(RenderStatus.Status.FAILED, s.status());
        assertEquals("PLAN_HASH_MISMATCH", s.failure().code());
        assertEquals(1, s.failure().chunk());
        assertEquals(0, s.chunksDone());
        assertEquals(3, s.version(), "no-op updates write no version");
    }

    @Test
    void missingRecordReadsAsQueued(@TempDir Path dir) {
        RenderStatus s = ProgressReader.read(new LocalStorage(), dir.resolve("nothing").toString());
        assertEquals(RenderStatus.Status.QUEUED, s.status());
        assertNull(s.renderId());
    }
}
