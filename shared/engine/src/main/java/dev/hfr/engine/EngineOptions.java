package dev.hfr.engine;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.compile.NpmRegistry;
import dev.hfr.engine.support.PlanCache;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.storage.Storage;

import java.nio.file.Path;

/**
 * What the step services need from their environment.
 *
 * @param storage       where projects, plans, chunks and outputs live (S3 or local)
 * @param browser       how to start Chromium
 * @param ffmpeg        the ffmpeg/ffprobe binaries
 * @param assetCacheDir the offline asset cache (npm packages, url map)
 * @param workRoot      scratch space (Lambda: /tmp); plan directories are cached here by plan hash
 * @param planCacheMaxBytes bound of that plan cache ({@code workRoot/plans}); least recently used plans go first
 * @param npmRegistry   where the plan fetches npm packages missing from the asset cache ({@link NpmRegistry#offline()}: nowhere)
 */
public record EngineOptions(Storage storage, BrowserOptions browser, FfmpegTools ffmpeg, Path assetCacheDir, Path workRoot,
                            long planCacheMaxBytes, NpmRegistry npmRegistry) {

    public EngineOptions {
        npmRegistry = npmRegistry == null ? NpmRegistry.at(NpmRegistry.DEFAULT_URL) : npmRegistry;
    }

    /** With the public npm registry ({@value NpmRegistry#DEFAULT_URL}). */
    public EngineOptions(Storage storage, BrowserOptions browser, FfmpegTools ffmpeg, Path assetCacheDir, Path workRoot,
                         long planCacheMaxBytes) {
        this(storage, browser, ffmpeg, assetCacheDir, workRoot, planCacheMaxBytes, null);
    }

    /** With the default plan cache bound ({@link PlanCache#DEFAULT_MAX_BYTES}) and the public npm registry. */
    public EngineOptions(Storage storage, BrowserOptions browser, FfmpegTools ffmpeg, Path assetCacheDir, Path workRoot) {
        this(storage, browser, ffmpeg, assetCacheDir, workRoot, PlanCache.DEFAULT_MAX_BYTES, null);
    }
}
