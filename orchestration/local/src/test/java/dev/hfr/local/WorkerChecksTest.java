package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.chunk.RenderChunkService;
import dev.hfr.engine.plan.PlanService;
import dev.hfr.ffmpeg.Quality;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanHash;
import dev.hfr.model.PlanManifest;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static dev.hfr.local.RenderHarness.FFMPEG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A chunk worker checks itself against the plan before rendering, and a retried chunk renders the same frames. */
@Tag("integration")
class WorkerChecksTest {
    @TempDir
    static Path tmp;
    static EngineOptions options;
    static PlanResult plan;
    static Path prefix;

    @BeforeAll
    static void plan() throws Exception {
        options = RenderHarness.options(tmp.resolve("work"));
        prefix = tmp.resolve("render");
        plan = new PlanService(options).plan(new PlanEvent("plan", RenderHarness.repoRoot().resolve("examples/hello").toString(),
                prefix.toString(), null, RenderHarness.config(30, "mp4", 20), null));
        assertEquals(3, plan.chunkCount());
    }

    static RenderChunkEvent event(String manifest, String hash, int chunk, Path out) {
        return new RenderChunkEvent("renderChunk", manifest, hash, chunk, out.toString(), "mp4", null);
    }

    /** Rewrites the stored manifest with one field changed and a consistent hash; returns the new hash. */
    static String replan(Path dir, java.util.function.UnaryOperator<PlanManifest> change) throws Exception {
        Path m = dir.resolve("plan/manifest.json");
        PlanManifest orig = ObjectMapper.getDefault().readValue(Files.readString(m), PlanManifest.class);
        PlanManifest changed = change.apply(orig);
        changed = changed.withPlanHash(PlanHash.compute(changed));
        Files.write(m, ObjectMapper.getDefault().writeValueAsBytes(changed));
        return changed.planHash();
    }

    static Path copyPlan(String name) throws Exception {
        Path dir = tmp.resolve(name);
        try (var walk = Files.walk(prefix)) {
            for (Path p : walk.toList()) {
                Path t = dir.resolve(prefix.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dir;
    }

    @Test
    void aRetriedChunkRendersTheSameFrames() throws Exception {
        RenderChunkService svc = new RenderChunkService(options);
        Path a = tmp.resolve("try1");
        Path b = tmp.resolve("try2");
        try {
            RenderChunkResult r1 = svc.renderChunk(event(plan.planManifestS3Uri(), plan.planHash(), 1, a));
            RenderChunkResult r2 = svc.renderChunk(event(plan.planManifestS3Uri(), plan.planHash(), 1, b));
            Path c1 = Path.of(RenderKeys.chunk(a.toString(), 1, dev.hfr.model.OutputFormat.MP4));
            Path c2 = Path.of(RenderKeys.chunk(b.toString(), 1, dev.hfr.model.OutputFormat.MP4));
            assertEquals(20, r1.framesEncoded());
            assertEquals(Quality.frameMd5(FFMPEG, c1), Quality.frameMd5(FFMPEG, c2), "decoded frames of a retry differ");
            assertEquals(r1.sha256(), r2.sha256(), "the encoder is deterministic too");
        } finally {
            svc.closeThreadResources();
        }
    }

    @Test
    void workerWithAnotherFfmpegRefusesThePlan() throws Exception {
        Path dir = copyPlan("ffmpeg-plan");
        String hash = replan(dir, m -> new PlanManifest(m.schema(), null, m.renderId(), m.engineVersion(), "4.4.2-other",
                m.format(), m.composition(), m.encoder(), m.chunks(), m.hasAudio(), m.artifacts(), m.warnings()));
        RenderException e = assertThrows(RenderException.class, () -> new RenderChunkService(options)
                .renderChunk(event(RenderKeys.planManifest(dir.toString()), hash, 0, tmp.resolve("x"))));
        assertEquals(ErrorCode.FFMPEG_VERSION_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("4.4.2-other") && e.getMessage().contains(FFMPEG.version()), e.getMessage());
    }

    @Test
    void tamperedManifestIsAPlanHashMismatch() throws Exception {
        Path dir = copyPlan("tampered-plan");
        Path m = dir.resolve("plan/manifest.json");
        Files.writeString(m, Files.readString(m).replace("\"totalFrames\":60", "\"totalFrames\":61"));
        RenderException e = assertThrows(RenderException.class, () -> new RenderChunkService(options)
                .renderChunk(event(RenderKeys.planManifest(dir.toString()), plan.planHash(), 0, tmp.resolve("y"))));
        assertEquals(ErrorCode.PLAN_HASH_MISMATCH, e.code());
        assertTrue(!e.retryable());
    }

    @Test
    void corruptArtifactIsADigestMismatch() throws Exception {
        Path dir = copyPlan("corrupt-plan");
        PlanManifest manifest = ObjectMapper.getDefault().readValue(Files.readString(dir.resolve("plan/manifest.json")),
                PlanManifest.class);
        var html = manifest.artifacts().stream().filter(a -> a.path().equals(PlanManifest.SITE_BUNDLE_PATH)).findFirst().orElseThrow();
        Files.writeString(Path.of(RenderKeys.planArtifact(dir.toString(), html.sha256())), "not the site"); // the compiled project
        EngineOptions fresh = RenderHarness.options(tmp.resolve("fresh-work"));
        RenderException e = assertThrows(RenderException.class, () -> new RenderChunkService(fresh)
                .renderChunk(event(RenderKeys.planManifest(dir.toString()), plan.planHash(), 0, tmp.resolve("z"))));
        assertEquals(ErrorCode.PLAN_ARTIFACT_DIGEST_MISMATCH, e.code());
    }

    @Test
    void chunkIndexOutsideThePlanIsRefused() {
        RenderException e = assertThrows(RenderException.class, () -> new RenderChunkService(options)
                .renderChunk(event(plan.planManifestS3Uri(), plan.planHash(), 3, tmp.resolve("w"))));
        assertEquals(ErrorCode.CHUNK_INDEX_OUT_OF_RANGE, e.code());
        assertTrue(e.getMessage().contains("0..2"), e.getMessage());
    }
}
