package dev.hfr.local;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.compile.AssetCache;
import dev.hfr.engine.EngineOptions;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.model.RenderConfig;
import dev.hfr.storage.LocalStorage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Shared set-up of the local render tests: real Chromium, real ffmpeg, local storage, the offline asset cache. */
final class RenderHarness {
    static final FfmpegTools FFMPEG = FfmpegTools.locate(System.getenv());
    private static Path cache;

    private RenderHarness() {
    }

    static Path repoRoot() {
        String prop = System.getProperty("hfr.repo.root");
        Path p = prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/fetch-assets.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repo root not found from " + prop);
        }
        return p.toAbsolutePath().normalize();
    }

    /** One of HyperFrames' regression compositions from ../shared (only in {@code @RequiresSharedFixtures} tests). */
    static Path fixture(String name) {
        return dev.hfr.testsupport.SharedFixtures.hyperframes(name);
    }

    /** The asset cache, filled by scripts/fetch-assets.sh if it has not run yet. */
    static synchronized Path assetCache() throws IOException, InterruptedException {
        if (cache == null) {
            Path c = AssetCache.defaultDir(System::getenv, System::getProperty);
            if (!Files.isDirectory(c.resolve("npm/gsap@3.12.2"))) {
                Process p = new ProcessBuilder("bash", repoRoot().resolve("scripts/fetch-assets.sh").toString())
                        .inheritIO().start();
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("scripts/fetch-assets.sh failed");
                }
            }
            cache = c;
        }
        return cache;
    }

    static EngineOptions options(Path workRoot) throws IOException, InterruptedException {
        return options(workRoot, BrowserOptions.defaults());
    }

    static EngineOptions options(Path workRoot, BrowserOptions browser) throws IOException, InterruptedException {
        return new EngineOptions(new LocalStorage(), browser, FFMPEG, assetCache(), workRoot);
    }

    static BrowserOptions fastFailBrowser() {
        return BrowserOptions.defaults().withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(2));
    }

    /** Renders {@code project} to {@code out} with the given chunk size (null = one chunk per worker). */
    static LocalRenderSummary render(Path project, Path out, RenderConfig config, Path workRoot) throws Exception {
        return new LocalRenderer(options(workRoot)).render(
                new LocalRenderRequest(project.toString(), out.toString(), config, 2, null, false), RenderProgress.NONE);
    }

    static RenderConfig config(int fps, String format, Integer chunkSize) {
        return new RenderConfig(fps, null, null, format, null, null, null, null, chunkSize, null, null, null, null,
                null, null, null, null, null, null);
    }
}
