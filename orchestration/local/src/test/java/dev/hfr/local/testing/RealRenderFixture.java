package dev.hfr.local.testing;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.compile.AssetCache;
import dev.hfr.engine.Engine;
import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.Engines;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.ffmpeg.MediaProbe;
import dev.hfr.ffmpeg.PsnrResult;
import dev.hfr.ffmpeg.Quality;
import dev.hfr.local.LocalRenderRequest;
import dev.hfr.local.LocalRenderer;
import dev.hfr.local.RenderProgress;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.LocalStorage;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.archive.ProjectArchive;
import dev.hfr.storage.testing.LocalStack;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the real-render tests share: our examples/hello (640x360, 60 frames at 30 fps), a real Engine on a
 * LocalStack bucket, the single-pass local reference render and the render-core quality gates.
 */
public final class RealRenderFixture {
    /** Our own examples/hello (the composition the README's launcher check renders), so the cloud tests run on any clone. */
    public static final String FIXTURE = "hello";
    public static final int TOTAL_FRAMES = 60;
    public static final FfmpegTools FFMPEG = FfmpegTools.locate(System.getenv());
    /** The render-core gates: a chunked render against the single-pass render of the same project. */
    public static final double MIN_MEAN_PSNR_DB = 45;
    public static final double MIN_FRAME_PSNR_DB = 40;

    private RealRenderFixture() {
    }

    public static Path repoRoot() {
        String prop = System.getProperty("hfr.repo.root");
        Path p = prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/fetch-assets.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repo root (with scripts/fetch-assets.sh) not found from hfr.repo.root=" + prop);
        }
        return p.toAbsolutePath().normalize();
    }

    public static Path project() {
        Path f = repoRoot().resolve("examples").resolve(FIXTURE).normalize();
        if (!Files.isDirectory(f)) {
            throw new IllegalStateException("fixture " + FIXTURE + " not found at " + f);
        }
        return f;
    }

    /** The offline asset cache (GSAP, Google fonts), filled by scripts/fetch-assets.sh if it is still empty. */
    public static synchronized Path assetCache() throws Exception {
        Path c = AssetCache.defaultDir(System::getenv, System::getProperty);
        if (!Files.isDirectory(c.resolve("npm/gsap@3.12.2"))) {
            Process p = new ProcessBuilder("bash", repoRoot().resolve("scripts/fetch-assets.sh").toString())
                    .inheritIO().start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("scripts/fetch-assets.sh failed; the fixture needs GSAP and its font offline");
            }
        }
        return c;
    }

    /** A production Engine whose storage only lets the steps touch {@code bucket} on LocalStack. */
    public static Engine engine(LocalStack ls, String bucket, Path workRoot) throws Exception {
        return Engines.create(new EngineOptions(new RoutingStorage(ls.storageConfig(bucket)), BrowserOptions.defaults(),
                FFMPEG, assetCache(), workRoot));
    }

    /** Packs the fixture like {@code hf submit} does and uploads it; returns its s3:// URI. */
    public static String uploadProject(LocalStack ls, String bucket, String key) {
        ByteArrayOutputStream tarGz = new ByteArrayOutputStream();
        ProjectArchive.pack(project(), tarGz);
        ls.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(tarGz.toByteArray()));
        return "s3://" + bucket + "/" + key;
    }

    public static Path download(LocalStack ls, String s3Uri, Path target) {
        StorageUri uri = StorageUri.parse(s3Uri);
        ls.s3().getObject(b -> b.bucket(uri.bucket()).key(uri.key()), ResponseTransformer.toFile(target));
        return target;
    }

    public static boolean exists(LocalStack ls, String s3Uri) {
        StorageUri uri = StorageUri.parse(s3Uri);
        return !ls.s3().listObjectsV2(b -> b.bucket(uri.bucket()).prefix(uri.key())).contents().isEmpty();
    }

    public static RenderConfig config(int chunkSize, Integer maxParallelChunks) {
        return new RenderConfig(30, null, null, "mp4", null, null, null, null, chunkSize, maxParallelChunks, null, null,
                null, null, null, null, null, null, null);
    }

    /** The single-pass render (one chunk of all 60 frames) in local mode: what every cloud render must match. */
    public static Path referenceRender(Path dir) throws Exception {
        Path out = dir.resolve(FIXTURE + "-single.mp4");
        new LocalRenderer(new EngineOptions(new LocalStorage(), BrowserOptions.defaults(), FFMPEG, assetCache(),
                dir.resolve("work"))).render(new LocalRenderRequest(project().toString(), out.toString(),
                config(TOTAL_FRAMES, null), 1, null, false), RenderProgress.NONE);
        assertEquals(TOTAL_FRAMES, MediaProbe.frameCount(FFMPEG, out), "frames in the single-pass reference");
        return out;
    }

    /** Exactly 60 frames, and PSNR against the reference within the render-core gates; returns the PSNR. */
    public static PsnrResult assertMatchesReference(Path reference, Path output) {
        assertEquals(TOTAL_FRAMES, MediaProbe.frameCount(FFMPEG, output), "frames in " + output);
        PsnrResult p = Quality.psnr(FFMPEG, reference, output);
        assertEquals(TOTAL_FRAMES, p.framesCompared(), "frames compared: " + p);
        assertTrue(p.meanDb() >= MIN_MEAN_PSNR_DB, "mean PSNR against the single-pass render: " + p);
        assertTrue(p.minDb() >= MIN_FRAME_PSNR_DB, "worst-frame PSNR against the single-pass render: " + p);
        return p;
    }
}
