package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingStorageTest {

    @TempDir
    Path dir;

    private final AtomicInteger s3Created = new AtomicInteger();

    private RoutingStorage routing(String allowedBucket) {
        return new RoutingStorage(new StorageConfig(null, "us-east-1", false, allowedBucket), () -> {
            s3Created.incrementAndGet();
            throw new AssertionError("S3 must not be reached in this test");
        });
    }

    @Test
    void refusesS3UrisOutsideTheRenderBucketBeforeTouchingS3() {
        RoutingStorage storage = routing("render-bucket");
        StorageUri other = StorageUri.parse("s3://other/x");
        RenderException e = assertThrows(RenderException.class, () -> storage.read(other));
        assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, e.code());
        assertEquals("s3://other/x is outside the render bucket render-bucket (HFR_RENDER_BUCKET)", e.getMessage());
        for (Runnable op : new Runnable[] {
            () -> storage.write(other, new byte[1]),
            () -> storage.writeIfAbsent(other, new byte[1]),
            () -> storage.list(other),
            () -> storage.delete(other),
            () -> storage.exists(other),
            () -> storage.upload(dir, other),
            () -> storage.download(other, dir.resolve("x")),
            () -> storage.checkAllowed(other)}) {
            assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, assertThrows(RenderException.class, op::run).code());
        }
        assertEquals(0, s3Created.get(), "the S3 client is built lazily and never for a refused URI");
    }

    @Test
    void allowsTheRenderBucketAndLocalPaths() {
        RoutingStorage storage = routing("render-bucket");
        assertDoesNotThrow(() -> storage.checkAllowed(StorageUri.parse("s3://render-bucket/renders/r1/plan.json")));
        StorageUri local = StorageUri.parse(dir.resolve("a/b.txt").toString());
        storage.write(local, "hi".getBytes(StandardCharsets.UTF_8));
        assertEquals("hi", new String(storage.read(local), StandardCharsets.UTF_8));
        assertTrue(storage.exists(local));
        assertEquals(0, s3Created.get(), "local paths never build an S3 client");
    }

    @Test
    void withoutAnAllowedBucketEveryBucketPassesTheCheck() {
        RoutingStorage storage = routing(null);
        assertDoesNotThrow(() -> storage.checkAllowed(StorageUri.parse("s3://anything/x")));
    }

    @Test
    void withARenderBucketEventUrisMustBeS3InThatBucket() {
        RoutingStorage storage = routing("render-bucket");
        RenderException local = assertThrows(RenderException.class,
                () -> storage.checkEventUri("OutputS3Uri", StorageUri.parse(dir.resolve("out.mp4").toString())));
        assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, local.code());
        assertTrue(local.getMessage().startsWith("OutputS3Uri is the local path "), local.getMessage());
        assertTrue(local.getMessage().contains("s3://render-bucket/"), local.getMessage());
        RenderException other = assertThrows(RenderException.class,
                () -> storage.checkEventUri("ProjectS3Uri", StorageUri.parse("s3://other/p.tar.gz")));
        assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, other.code());
        assertDoesNotThrow(() -> storage.checkEventUri("ProjectS3Uri", StorageUri.parse("s3://render-bucket/p.tar.gz")));
        // without a render bucket (local development) local paths are what the CLI uses
        assertDoesNotThrow(() -> routing(null).checkEventUri("OutputS3Uri", StorageUri.parse(dir.resolve("o.mp4").toString())));
        assertEquals(0, s3Created.get());
    }
}
