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

    /**
     * The finished document links a poster and a contact sheet in the render's prefix: PNGs of the right size
     * (640x360; 1300x556) whose pixels are the output's: the poster is its decoded middle frame, the sheet's
     * first tile is frame 0 scaled down.
     */
    public static void assertStillsShow(LocalStack ls, dev.hfr.model.ProgressDocument doc, String prefix, Path video, Path dir)
            throws Exception {
        assertEquals(prefix + "/poster.png", doc.posterUri(), "posterUri of " + doc);
        assertEquals(prefix + "/contact-sheet.png", doc.contactSheetUri(), "contactSheetUri of " + doc);
        Files.createDirectories(dir);
        java.awt.image.BufferedImage poster = png(download(ls, doc.posterUri(), dir.resolve("poster.png")));
        java.awt.image.BufferedImage sheet = png(download(ls, doc.contactSheetUri(), dir.resolve("contact-sheet.png")));
        assertEquals(640, poster.getWidth());
        assertEquals(360, poster.getHeight());
        assertEquals(4 * 320 + 3 * 4 + 2 * 4, sheet.getWidth());
        assertEquals(3 * 180 + 2 * 4 + 2 * 4, sheet.getHeight());
        java.awt.image.BufferedImage middle = decodedFrame(video, TOTAL_FRAMES / 2, null, dir.resolve("middle.png"));
        java.awt.image.BufferedImage first = decodedFrame(video, 0, "scale=320:-2", dir.resolve("first.png"));
        double posterDiff = meanAbsDiff(poster, middle, 0, 0);
        assertTrue(posterDiff < 1.0, "the poster is the output's frame 30 (mean diff " + posterDiff + ")");
        double tileDiff = meanAbsDiff(first, sheet, 4, 4);
        assertTrue(tileDiff < 2.0, "the sheet's first tile is the output's frame 0 (mean diff " + tileDiff + ")");
        double otherDiff = meanAbsDiff(decodedFrame(video, TOTAL_FRAMES - 1, "scale=320:-2", dir.resolve("last.png")), sheet, 4, 4);
        assertTrue(otherDiff > tileDiff, "the first tile is closer to frame 0 than to the last frame: " + tileDiff + " / " + otherDiff);
    }

    private static java.awt.image.BufferedImage png(Path file) throws Exception {
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(file)) {
            assertEquals(8, in.readNBytes(head, 0, 8));
        }
        assertEquals("\u0089PNG\r\n\u001a\n", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1), file + " is a PNG");
        return javax.imageio.ImageIO.read(file.toFile());
    }

    private static java.awt.image.BufferedImage decodedFrame(Path video, int frame, String filter, Path out) throws Exception {
        String vf = "select='eq(n\\," + frame + ")'" + (filter == null ? "" : "," + filter);
        Process p = new ProcessBuilder(FFMPEG.ffmpeg().toString(), "-v", "error", "-y", "-i", video.toString(), "-vf", vf,
                "-frames:v", "1", "-fps_mode", "vfr", "-update", "1", out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        return javax.imageio.ImageIO.read(out.toFile());
    }

    /** Mean absolute difference per channel of {@code a} against the same-size region of {@code b} at (x0, y0). */
    private static double meanAbsDiff(java.awt.image.BufferedImage a, java.awt.image.BufferedImage b, int x0, int y0) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x0 + x, y0 + y);
                for (int s = 0; s < 24; s += 8) {
                    sum += Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
