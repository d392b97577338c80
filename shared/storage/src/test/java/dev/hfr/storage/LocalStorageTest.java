package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStorageTest {

    @TempDir
    Path dir;

    private final LocalStorage storage = new LocalStorage();

    private StorageUri uri(String rel) {
        return StorageUri.parse(dir.resolve(rel).toString());
    }

    @Test
    void writeReadSizeExistsDeleteRoundTrip() throws IOException {
        StorageUri u = uri("renders/r1/plan/manifest.json");
        assertFalse(storage.exists(u));
        storage.write(u, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertTrue(storage.exists(u));
        assertEquals(7, storage.size(u));
        assertEquals("{\"a\":1}", new String(storage.read(u), StandardCharsets.UTF_8));
        try (InputStream in = storage.open(u)) {
            assertEquals("{\"a\":1}", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        storage.write(u, "v2".getBytes(StandardCharsets.UTF_8));
        assertEquals("v2", new String(storage.read(u), StandardCharsets.UTF_8));
        storage.delete(u);
        assertFalse(storage.exists(u));
        storage.delete(u); // deleting a missing object is not an error
        try (var s = Files.list(dir.resolve("renders/r1/plan"))) {
            assertEquals(List.of(), s.toList(), "no temp files are left behind");
        }
    }

    @Test
    void missingObjectsThrowStorageNotFound() {
        StorageUri u = uri("nope/x.bin");
        assertEquals(u, assertThrows(StorageNotFoundException.class, () -> storage.read(u)).uri());
        assertThrows(StorageNotFoundException.class, () -> storage.size(u));
        assertThrows(StorageNotFoundException.class, () -> storage.open(u));
        assertThrows(StorageNotFoundException.class, () -> storage.download(u, dir.resolve("out.bin")));
        assertFalse(Files.exists(dir.resolve("out.bin")));
        // A directory is not an object.
        StorageUri d = uri("adir");
        storage.write(d.resolve("f"), new byte[] {1});
        assertFalse(storage.exists(d));
        assertThrows(StorageNotFoundException.class, () -> storage.read(d));
    }

    @Test
    void uploadAndDownloadCopyContentAndReplace() throws IOException {
        Path src = dir.resolve("src.bin");
        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        Files.write(src, data);
        StorageUri u = uri("store/chunk-000.mp4");
        storage.upload(src, u);
        Path target = dir.resolve("dl/deep/copy.bin");
        Files.createDirectories(target.getParent());
        Files.write(target, new byte[] {9, 9});
        storage.download(u, target);
        assertArrayEquals(data, Files.readAllBytes(target));
        RenderException e = assertThrows(RenderException.class, () -> storage.upload(dir.resolve("missing.bin"), u));
        assertEquals(ErrorCode.STORAGE_ERROR, e.code());
        assertTrue(e.getMessage().contains("missing.bin"), e.getMessage());
    }

    @Test
    void listIsRecursiveSortedAndScopedToThePrefixDirectory() {
        for (String k : List.of("r/chunks/b.mp4", "r/chunks/a.mp4", "r/chunks/sub/c.mp4", "r/chunksX/d.mp4", "r/other.json")) {
            storage.write(uri(k), new byte[] {1});
        }
        List<String> keys = storage.list(uri("r/chunks")).stream().map(StorageUri::toString).toList();
        assertEquals(List.of(dir.resolve("r/chunks/a.mp4").toString(), dir.resolve("r/chunks/b.mp4").toString(),
                dir.resolve("r/chunks/sub/c.mp4").toString()), keys);
        assertEquals(List.of(), storage.list(uri("r/absent")));
    }

    @Test
    void listSkipsInFlightTempFiles() throws IOException {
        storage.write(uri("p/a"), new byte[] {1});
        Files.write(dir.resolve("p/" + LocalStorage.TEMP_PREFIX + "b-123.tmp"), new byte[] {2});
        assertEquals(List.of(uri("p/a")), storage.list(uri("p")));
    }

    @Test
    void writeIfAbsentLetsExactlyOneOfEightConcurrentWritersWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int trial = 0; trial < 20; trial++) {
                StorageUri u = uri("locks/trial-" + trial + "/owner");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    byte[] payload = ("writer-" + w).getBytes(StandardCharsets.UTF_8);
                    results.add(pool.submit(() -> {
                        go.await();
                        return storage.writeIfAbsent(u, payload);
                    }));
                }
                go.countDown();
                int winners = 0;
                int winner = -1;
                for (int w = 0; w < 8; w++) {
                    if (results.get(w).get()) {
                        winners++;
                        winner = w;
                    }
                }
                assertEquals(1, winners, "trial " + trial);
                assertEquals("writer-" + winner, new String(storage.read(u), StandardCharsets.UTF_8));
                assertEquals(List.of(u), storage.list(uri("locks/trial-" + trial)), "no temp files left");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writeIfAbsentNeverReplaces() {
        StorageUri u = uri("once");
        assertTrue(storage.writeIfAbsent(u, "first".getBytes(StandardCharsets.UTF_8)));
        assertFalse(storage.writeIfAbsent(u, "second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first", new String(storage.read(u), StandardCharsets.UTF_8));
    }

    @Test
    void uploadIfAbsentNeverReplaces() throws Exception {
        StorageUri u = uri("published.mp4");
        Path first = Files.writeString(dir.resolve("first.bin"), "first");
        Path second = Files.writeString(dir.resolve("second.bin"), "second");
        assertTrue(storage.uploadIfAbsent(first, u));
        assertFalse(storage.uploadIfAbsent(second, u));
        assertEquals("first", new String(storage.read(u), StandardCharsets.UTF_8));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }
}
