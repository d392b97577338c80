package dev.hfr.local;

import dev.hfr.engine.Engine;
import dev.hfr.local.testing.RealRenderFixture;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderException;
import dev.hfr.storage.testing.LocalStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile step events against a render bucket on LocalStack (issue: one event could overwrite any key): with a
 * bucket configured every event URI must be s3:// in it, an output never replaces an object hfr did not write,
 * and a retried assemble returns the published result instead of publishing again.
 */
@Tag("integration")
class BucketGuardTest {
    @TempDir
    static Path tmp;
    static LocalStack ls;
    static String bucket;
    static Engine engine;
    static String project;
    static PlanResult plan;

    @BeforeAll
    static void setUp() throws Exception {
        ls = LocalStack.require();
        bucket = ls.createBucket("guard");
        engine = RealRenderFixture.engine(ls, bucket, tmp.resolve("work"));
        project = RealRenderFixture.uploadProject(ls, bucket, "projects/hello.tar.gz");
        plan = engine.plan().plan(new PlanEvent("plan", project, "s3://" + bucket + "/renders/a",
                "s3://" + bucket + "/outputs/a.mp4", RealRenderFixture.config(60, null), "a"));
        engine.renderChunk().renderChunk(new RenderChunkEvent("renderChunk", plan.planManifestS3Uri(), plan.planHash(),
                0, plan.planOutputS3Prefix(), "mp4", "a"));
    }

    private static AssembleEvent assembleTo(String output) {
        return new AssembleEvent("assemble", plan.planManifestS3Uri(), plan.planHash(), null, output, "mp4", "a");
    }

    private static byte[] object(String key) {
        return ls.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    @Test
    void localPathsInEventsAreRefusedWhenARenderBucketIsConfigured() {
        Path secret = tmp.resolve("outside/plan");
        RenderException e = assertThrows(RenderException.class, () -> engine.plan().plan(new PlanEvent("plan", project,
                secret.toString(), null, RealRenderFixture.config(60, null), "local")));
        assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, e.code());
        assertTrue(e.getMessage().startsWith("PlanOutputS3Prefix is the local path"), e.getMessage());
        assertFalse(Files.exists(secret), "nothing was written to the worker's disk");
        RenderException out = assertThrows(RenderException.class,
                () -> engine.assemble().assemble(assembleTo(tmp.resolve("stolen.mp4").toString())));
        assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, out.code());
    }

    @Test
    void anOutputNeverReplacesAnObjectHfrDidNotWrite() {
        // a user's file where outputs may go
        String userKey = "outputs/user-file.mp4";
        byte[] user = "not a render of ours".getBytes();
        ls.s3().putObject(b -> b.bucket(bucket).key(userKey), RequestBody.fromBytes(user));
        RenderException e = assertThrows(RenderException.class,
                () -> engine.assemble().assemble(assembleTo("s3://" + bucket + "/" + userKey)));
        assertEquals(ErrorCode.OUTPUT_PATH_UNSAFE, e.code());
        assertFalse(e.code().retryable());
        assertArrayEquals(user, object(userKey), "the user's file is untouched");
        // another render's manifest is not even a key this render may name
        String victimKey = "renders/victim/plan/manifest.json";
        byte[] victim = "{\"not\":\"yours\"}".getBytes();
        ls.s3().putObject(b -> b.bucket(bucket).key(victimKey), RequestBody.fromBytes(victim));
        RenderException other = assertThrows(RenderException.class,
                () -> engine.assemble().assemble(assembleTo("s3://" + bucket + "/" + victimKey)));
        assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, other.code());
        assertArrayEquals(victim, object(victimKey), "the other render's manifest is untouched");
    }

    private static java.util.Set<String> keys() {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        ls.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    /** Issue 13: an event could create new objects anywhere in the render bucket (only overwrites were refused). */
    @Test
    void eventsThatWouldCreateObjectsOutsideTheirPrefixesAreRefusedAndWriteNothing() {
        java.util.Set<String> before = keys();
        String b = "s3://" + bucket + "/";
        var config = RealRenderFixture.config(60, null);
        record Case(String field, org.junit.jupiter.api.function.Executable step) {
        }
        Case[] cases = {
            new Case("PlanOutputS3Prefix", () -> engine.plan().plan(new PlanEvent("plan", project, b + "website/",
                    b + "outputs/w.mp4", config, "w"))),
            new Case("OutputS3Uri", () -> engine.plan().plan(new PlanEvent("plan", project, b + "renders/w",
                    b + "website/index.html", config, "w"))),
            new Case("ProjectS3Uri", () -> engine.plan().plan(new PlanEvent("plan",
                    b + "renders/a/plan/manifest.json", b + "renders/w", b + "outputs/w.mp4", config, "w"))),
            new Case("ChunkOutputS3Prefix", () -> engine.renderChunk().renderChunk(new RenderChunkEvent("renderChunk",
                    plan.planManifestS3Uri(), plan.planHash(), 0, b + "website", "mp4", "a"))),
            new Case("ChunkOutputS3Prefix", () -> engine.renderChunk().renderChunk(new RenderChunkEvent("renderChunk",
                    plan.planManifestS3Uri(), plan.planHash(), 0, b + "renders/a/../../website", "mp4", "a"))),
            new Case("OutputS3Uri", () -> engine.assemble().assemble(assembleTo(b + "website/a.mp4"))),
            new Case("OutputS3Uri", () -> engine.assemble().assemble(assembleTo(b + "renders/a/chunks/00001.mp4"))),
            new Case("ChunkS3Uris[0]", () -> engine.assemble().assemble(new AssembleEvent("assemble",
                    plan.planManifestS3Uri(), plan.planHash(), java.util.List.of(b + "renders/victim/chunks/00000.mp4"),
                    b + "outputs/a2.mp4", "mp4", "a"))),
        };
        for (Case c : cases) {
            RenderException e = assertThrows(RenderException.class, c.step());
            assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, e.code(), e.getMessage());
            assertFalse(e.code().retryable());
            assertTrue(e.getMessage().startsWith(c.field() + " "), e.getMessage());
            assertTrue(e.getMessage().contains("may touch"), e.getMessage());
        }
        assertEquals(before, keys(), "no object was created or removed");
    }

    @Test
    void aRetriedAssembleNeverPublishesAgainAndARenderPublishesToOneOutput() {
        AssembleResult first = engine.assemble().assemble(assembleTo("s3://" + bucket + "/outputs/a.mp4"));
        assertEquals(60, first.framesEncoded());
        String etag = ls.s3().headObject(b -> b.bucket(bucket).key("outputs/a.mp4")).eTag();
        var lastModified = ls.s3().headObject(b -> b.bucket(bucket).key("outputs/a.mp4")).lastModified();

        AssembleResult again = engine.assemble().assemble(assembleTo("s3://" + bucket + "/outputs/a.mp4"));
        assertEquals(first.outputS3Uri(), again.outputS3Uri());
        assertEquals(first.fileSize(), again.fileSize());
        var head = ls.s3().headObject(b -> b.bucket(bucket).key("outputs/a.mp4"));
        assertEquals(etag, head.eTag());
        assertEquals(lastModified, head.lastModified(), "the output was not uploaded a second time");

        RenderException elsewhere = assertThrows(RenderException.class,
                () -> engine.assemble().assemble(assembleTo("s3://" + bucket + "/outputs/other.mp4")));
        assertEquals(ErrorCode.OUTPUT_PATH_UNSAFE, elsewhere.code());
        assertTrue(elsewhere.getMessage().contains("already published its output to s3://" + bucket + "/outputs/a.mp4"),
                elsewhere.getMessage());
    }

    @Test
    void aChunkChangedAfterItsStepReportedItIsNeverAssembled() {
        PlanResult b = engine.plan().plan(new PlanEvent("plan", project, "s3://" + bucket + "/renders/b",
                "s3://" + bucket + "/outputs/b.mp4", RealRenderFixture.config(60, null), "b"));
        var chunk = engine.renderChunk().renderChunk(new RenderChunkEvent("renderChunk", b.planManifestS3Uri(),
                b.planHash(), 0, b.planOutputS3Prefix(), "mp4", "b"));
        String key = chunk.chunkS3Uri().substring(("s3://" + bucket + "/").length());
        byte[] good = object(key);
        // someone overwrites the finished chunk (same size, other bytes)
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x55;
        ls.s3().putObject(x -> x.bucket(bucket).key(key), RequestBody.fromBytes(bad));
        AssembleEvent event = new AssembleEvent("assemble", b.planManifestS3Uri(), b.planHash(),
                java.util.List.of(chunk.chunkS3Uri()), "s3://" + bucket + "/outputs/b.mp4", "mp4", "b",
                java.util.List.of(chunk.sha256()));
        RenderException e = assertThrows(RenderException.class, () -> engine.assemble().assemble(event));
        assertEquals(ErrorCode.CHUNK_DIGEST_MISMATCH, e.code());
        assertTrue(e.getMessage().contains(chunk.sha256()), e.getMessage());
        assertFalse(ls.s3().listObjectsV2(x -> x.bucket(bucket).prefix("outputs/b.mp4")).hasContents()
                && !ls.s3().listObjectsV2(x -> x.bucket(bucket).prefix("outputs/b.mp4")).contents().isEmpty(),
                "nothing was published");
        // with the chunk restored, the same event assembles
        ls.s3().putObject(x -> x.bucket(bucket).key(key), RequestBody.fromBytes(good));
        assertEquals(60, engine.assemble().assemble(event).framesEncoded());
    }

    @Test
    void withoutDigestsInTheEventAChangedChunkIsCaughtByItsDigestRecord() {
        // the Step Functions shape: the Assemble state sends no ChunkS3Uris and no ChunkSha256s (the chunk results stay
        // out of the execution state), so assemble checks each chunk against the record its render-chunk step wrote
        PlanResult c = engine.plan().plan(new PlanEvent("plan", project, "s3://" + bucket + "/renders/c",
                "s3://" + bucket + "/outputs/c.mp4", RealRenderFixture.config(60, null), "c"));
        var chunk = engine.renderChunk().renderChunk(new RenderChunkEvent("renderChunk", c.planManifestS3Uri(),
                c.planHash(), 0, c.planOutputS3Prefix(), "mp4", "c"));
        String key = chunk.chunkS3Uri().substring(("s3://" + bucket + "/").length());
        String digestKey = dev.hfr.model.RenderKeys.chunkDigest(c.planOutputS3Prefix(), 0).substring(("s3://" + bucket + "/").length());
        assertEquals(chunk.sha256(), new String(object(digestKey), java.nio.charset.StandardCharsets.US_ASCII));
        byte[] good = object(key);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x55;
        ls.s3().putObject(x -> x.bucket(bucket).key(key), RequestBody.fromBytes(bad));
        AssembleEvent event = new AssembleEvent("assemble", c.planManifestS3Uri(), c.planHash(), null,
                "s3://" + bucket + "/outputs/c.mp4", "mp4", "c", null);
        RenderException e = assertThrows(RenderException.class, () -> engine.assemble().assemble(event));
        assertEquals(ErrorCode.CHUNK_DIGEST_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("recorded " + chunk.sha256()), e.getMessage());
        ls.s3().putObject(x -> x.bucket(bucket).key(key), RequestBody.fromBytes(good));
        assertEquals(60, engine.assemble().assemble(event).framesEncoded());
    }
}
