package dev.hfr.storage;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.testing.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** S3Storage against LocalStack (started by {@link LocalStack#require()} if needed; fails if it cannot start). */
@Tag("integration")
class S3StorageTest {

    private static LocalStack localStack;
    private static S3Storage storage;
    private static String bucket;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        localStack = LocalStack.require();
        bucket = localStack.createBucket("s3storage");
        storage = S3Storage.create(localStack.storageConfig(bucket));
    }

    @AfterAll
    static void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private static StorageUri s3(String key) {
        return StorageUri.parse("s3://" + bucket + "/" + key);
    }

    @Test
    void putGetHeadListByPrefixAndDelete() throws Exception {
        for (String k : List.of("r1/chunks/b.mp4", "r1/chunks/a.mp4", "r1/chunks/sub/c.mp4", "r1/chunksX/d.mp4", "r1/plan.json")) {
            storage.write(s3(k), k.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("r1/chunks/a.mp4", new String(storage.read(s3("r1/chunks/a.mp4")), StandardCharsets.UTF_8));
        try (InputStream in = storage.open(s3("r1/plan.json"))) {
            assertEquals("r1/plan.json", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("r1/chunks/b.mp4".length(), storage.size(s3("r1/chunks/b.mp4")));
        assertTrue(storage.exists(s3("r1/plan.json")));
        assertEquals(List.of(s3("r1/chunks/a.mp4"), s3("r1/chunks/b.mp4"), s3("r1/chunks/sub/c.mp4")), storage.list(s3("r1/chunks")));

        storage.write(s3("r1/plan.json"), "v2".getBytes(StandardCharsets.UTF_8));
        assertEquals("v2", new String(storage.read(s3("r1/plan.json")), StandardCharsets.UTF_8));

        storage.delete(s3("r1/chunks/a.mp4"));
        storage.delete(s3("r1/chunks/a.mp4")); // missing: not an error
        assertFalse(storage.exists(s3("r1/chunks/a.mp4")));
        assertEquals(List.of(s3("r1/chunks/b.mp4"), s3("r1/chunks/sub/c.mp4")), storage.list(s3("r1/chunks")));
    }

    @Test
    void listPaginatesPastOneThousandKeys() {
        // ListObjectsV2 returns at most 1000 keys per page.
        int n = 1005;
        java.util.stream.IntStream.range(0, n).parallel()
                .forEach(i -> storage.write(s3("many/k" + String.format("%05d", i)), new byte[0]));
        List<StorageUri> all = storage.list(s3("many"));
        assertEquals(n, all.size());
        assertEquals(s3("many/k01004"), all.get(n - 1));
    }

    @Test
    void twentyMibUploadGoesMultipartAndRoundTrips() throws Exception {
        byte[] data = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(data);
        Path src = dir.resolve("big.bin");
        Files.write(src, data);
        StorageUri u = s3("big/video.mp4");

        storage.upload(src, u);

        String eTag = localStack.s3().headObject(r -> r.bucket(bucket).key("big/video.mp4")).eTag();
        assertTrue(eTag.replace("\"", "").endsWith("-3"), "a 20 MiB upload in 8 MiB parts has a 3-part ETag, got " + eTag);
        assertEquals(data.length, storage.size(u));
        Path back = dir.resolve("back/video.mp4");
        storage.download(u, back);
        assertEquals(sha256(data), sha256(Files.readAllBytes(back)));
    }

    @Test
    void smallUploadIsASinglePut() throws Exception {
        Path src = dir.resolve("small.bin");
        Files.write(src, "small".getBytes(StandardCharsets.UTF_8));
        storage.upload(src, s3("small/x"));
        String eTag = localStack.s3().headObject(r -> r.bucket(bucket).key("small/x")).eTag();
        assertFalse(eTag.contains("-"), eTag);
        assertArrayEquals("small".getBytes(StandardCharsets.UTF_8), storage.read(s3("small/x")));
    }

    @Test
    void writeIfAbsentLetsExactlyOneOfEightConcurrentWritersWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int trial = 0; trial < 3; trial++) {
                StorageUri u = s3("locks/" + trial + "/owner.json");
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
                assertFalse(storage.writeIfAbsent(u, "late".getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingKeyIsStorageNotFound() {
        StorageUri u = s3("does/not/exist");
        assertFalse(storage.exists(u));
        assertEquals(u, assertThrows(StorageNotFoundException.class, () -> storage.read(u)).uri());
        assertThrows(StorageNotFoundException.class, () -> storage.size(u));
        assertThrows(StorageNotFoundException.class, () -> storage.open(u));
        Path target = dir.resolve("nothing.bin");
        assertThrows(StorageNotFoundException.class, () -> storage.download(u, target));
        assertFalse(Files.exists(target));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "no temp file left after a failed download");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void otherErrorsAreStorageErrorsNamingTheUri() {
        StorageUri u = StorageUri.parse("s3://no-such-bucket-" + System.nanoTime() + "/k");
        RenderException e = assertThrows(RenderException.class, () -> storage.write(u, new byte[1]));
        assertEquals(ErrorCode.STORAGE_ERROR, e.code());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains(u.toString()), e.getMessage());
        assertFalse(e instanceof StorageNotFoundException);
    }

    @Test
    void routingStorageUsesS3ForTheRenderBucketAndRefusesOthers() {
        try (RoutingStorage routing = new RoutingStorage(localStack.storageConfig(bucket))) {
            routing.write(s3("routed/a.txt"), "routed".getBytes(StandardCharsets.UTF_8));
            assertEquals("routed", new String(storage.read(s3("routed/a.txt")), StandardCharsets.UTF_8));
            String other = localStack.createBucket("other");
            RenderException e = assertThrows(RenderException.class,
                    () -> routing.write(StorageUri.parse("s3://" + other + "/x"), new byte[1]));
            assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, e.code());
            assertEquals("s3://" + other + "/x is outside the render bucket " + bucket + " (HFR_RENDER_BUCKET)", e.getMessage());
            assertFalse(storage.exists(StorageUri.parse("s3://" + other + "/x")), "nothing was written to the other bucket");
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Small files go in one conditional put, large ones as a multipart upload completed with If-None-Match. */
    @Test
    void uploadIfAbsentNeverReplacesSmallOrMultipart() throws Exception {
        for (int size : new int[]{1024, (int) S3Storage.MULTIPART_THRESHOLD_BYTES + 1024}) {
            StorageUri u = s3("published-" + size + ".bin");
            byte[] a = new byte[size];
            byte[] b = new byte[size];
            new Random(size).nextBytes(a);
            new Random(size + 1).nextBytes(b);
            Path first = Files.write(dir.resolve("a-" + size), a);
            Path second = Files.write(dir.resolve("b-" + size), b);
            assertTrue(storage.uploadIfAbsent(first, u), "first upload of " + size + " bytes");
            assertFalse(storage.uploadIfAbsent(second, u), "second upload of " + size + " bytes must not replace");
            assertArrayEquals(a, storage.read(u), size + " bytes: the first upload stays");
        }
    }
}
