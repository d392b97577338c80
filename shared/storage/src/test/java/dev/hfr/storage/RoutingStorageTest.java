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

    private static final StorageUri RENDER = StorageUri.parse("s3://render-bucket/renders/r1/");

    private RenderException refused(RoutingStorage storage, String field, String uri, RoutingStorage.Role role) {
        RenderException e = assertThrows(RenderException.class,
                () -> storage.checkEventUri(field, StorageUri.parse(uri), role, RENDER), uri);
        assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, e.code());
        assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
        return e;
    }

    private void allowed(RoutingStorage storage, String uri, RoutingStorage.Role role) {
        assertDoesNotThrow(() -> storage.checkEventUri("F", StorageUri.parse(uri), role, RENDER), uri);
    }

    @Test
    void withARenderBucketEventKeysAreConfinedToTheRendersOwnPrefixes() {
        RoutingStorage storage = routing("render-bucket");
        // the render prefix: a folder under renders/, not renders/ itself nor the SQS index
        allowed(storage, "s3://render-bucket/renders/r1/", RoutingStorage.Role.RENDER_PREFIX);
        allowed(storage, "s3://render-bucket/renders/team/r1", RoutingStorage.Role.RENDER_PREFIX);
        RenderException prefix = refused(storage, "PlanOutputS3Prefix", "s3://render-bucket/outputs/r1/",
                RoutingStorage.Role.RENDER_PREFIX);
        assertTrue(prefix.getMessage().contains("s3://render-bucket/renders/"), prefix.getMessage());
        refused(storage, "PlanOutputS3Prefix", "s3://render-bucket/renders/", RoutingStorage.Role.RENDER_PREFIX);
        refused(storage, "PlanOutputS3Prefix", "s3://render-bucket/renders/index/", RoutingStorage.Role.RENDER_PREFIX);
        refused(storage, "PlanOutputS3Prefix", "s3://render-bucket/renders/../outputs/x", RoutingStorage.Role.RENDER_PREFIX);
        refused(storage, "PlanOutputS3Prefix", "s3://render-bucket/renders//x", RoutingStorage.Role.RENDER_PREFIX);
        // the render's own objects
        allowed(storage, "s3://render-bucket/renders/r1/", RoutingStorage.Role.IN_RENDER);
        allowed(storage, "s3://render-bucket/renders/r1/chunks/00000.mp4", RoutingStorage.Role.IN_RENDER);
        RenderException chunk = refused(storage, "ChunkS3Uris[1]", "s3://render-bucket/renders/r2/chunks/00000.mp4",
                RoutingStorage.Role.IN_RENDER);
        assertTrue(chunk.getMessage().contains("under this render's prefix s3://render-bucket/renders/r1/"), chunk.getMessage());
        refused(storage, "ChunkOutputS3Prefix", "s3://render-bucket/renders/r10", RoutingStorage.Role.IN_RENDER);
        refused(storage, "ChunkOutputS3Prefix", "s3://render-bucket/renders/r1/../r2", RoutingStorage.Role.IN_RENDER);
        // outputs: the outputs prefix or the render prefix outside the render's own files
        allowed(storage, "s3://render-bucket/outputs/a.mp4", RoutingStorage.Role.OUTPUT);
        allowed(storage, "s3://render-bucket/outputs/team/a.mp4", RoutingStorage.Role.OUTPUT);
        allowed(storage, "s3://render-bucket/renders/r1/output.mp4", RoutingStorage.Role.OUTPUT);
        RenderException out = refused(storage, "OutputS3Uri", "s3://render-bucket/website/index.html", RoutingStorage.Role.OUTPUT);
        assertTrue(out.getMessage().contains("s3://render-bucket/outputs/"), out.getMessage());
        refused(storage, "OutputS3Uri", "s3://render-bucket/outputsx/a.mp4", RoutingStorage.Role.OUTPUT);
        refused(storage, "OutputS3Uri", "s3://render-bucket/renders/r2/output.mp4", RoutingStorage.Role.OUTPUT);
        refused(storage, "OutputS3Uri", "s3://render-bucket/renders/r1/chunks/00001.mp4", RoutingStorage.Role.OUTPUT);
        refused(storage, "OutputS3Uri", "s3://render-bucket/renders/r1/status.json", RoutingStorage.Role.OUTPUT);
        refused(storage, "OutputS3Uri", "s3://render-bucket/renders/r1/plan/manifest.json", RoutingStorage.Role.OUTPUT);
        refused(storage, "OutputS3Uri", "s3://render-bucket/records/renders/r1/published.json", RoutingStorage.Role.OUTPUT);
        refused(storage, "OutputS3Uri", "s3://render-bucket/outputs/../website/a.mp4", RoutingStorage.Role.OUTPUT);
        // projects are read from the projects prefix or the render's own prefix
        allowed(storage, "s3://render-bucket/projects/p.tar.gz", RoutingStorage.Role.PROJECT);
        allowed(storage, "s3://render-bucket/renders/r1/project.tar.gz", RoutingStorage.Role.PROJECT);
        refused(storage, "ProjectS3Uri", "s3://render-bucket/renders/r2/plan/artifacts/sha256/ab/ab", RoutingStorage.Role.PROJECT);
        // without a render bucket nothing is confined (local development)
        assertDoesNotThrow(() -> routing(null).checkEventUri("OutputS3Uri", StorageUri.parse("s3://x/anywhere.mp4"),
                RoutingStorage.Role.OUTPUT, RENDER));
        assertEquals(0, s3Created.get());
    }

    @Test
    void outputAndProjectPrefixesAreConfigurableFolders() {
        StorageConfig c = StorageConfig.fromEnv(java.util.Map.of("HFR_RENDER_BUCKET", "render-bucket",
                "HFR_OUTPUT_PREFIXES", "videos, team-a/out/", "HFR_PROJECT_PREFIXES", "uploads")::get);
        assertEquals(java.util.List.of("videos/", "team-a/out/"), c.outputPrefixes());
        assertEquals(java.util.List.of("uploads/"), c.projectPrefixes());
        RoutingStorage storage = new RoutingStorage(c, () -> {
            throw new AssertionError("no S3");
        });
        allowed(storage, "s3://render-bucket/videos/a.mp4", RoutingStorage.Role.OUTPUT);
        allowed(storage, "s3://render-bucket/team-a/out/a.mp4", RoutingStorage.Role.OUTPUT);
        refused(storage, "OutputS3Uri", "s3://render-bucket/outputs/a.mp4", RoutingStorage.Role.OUTPUT);
        refused(storage, "OutputS3Uri", "s3://render-bucket/videosx/a.mp4", RoutingStorage.Role.OUTPUT);
        allowed(storage, "s3://render-bucket/uploads/p.tar.gz", RoutingStorage.Role.PROJECT);
        for (String bad : new String[] {"renders/", "records", "/", "a/../b", "."}) {
            RenderException e = assertThrows(RenderException.class, () -> StorageConfig.fromEnv(
                    java.util.Map.of("HFR_OUTPUT_PREFIXES", bad)::get), bad);
            assertEquals(ErrorCode.INVALID_CONFIG, e.code());
            assertTrue(e.getMessage().contains("HFR_OUTPUT_PREFIXES"), e.getMessage());
        }
    }
}
