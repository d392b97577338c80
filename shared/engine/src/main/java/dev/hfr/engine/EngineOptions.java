package dev.hfr.engine;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.compile.NpmRegistry;
import dev.hfr.engine.progress.ProgressSteps;
import dev.hfr.engine.progress.RenderDeadline;
import dev.hfr.engine.support.PlanCache;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.storage.Storage;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;

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
 * @param billing       the Lambda function's billed size each step adds to the render's usage, or null off Lambda
 * @param renderTimeout how long after its plan started a render may run ({@link RenderDeadline})
 */
public record EngineOptions(Storage storage, BrowserOptions browser, FfmpegTools ffmpeg, Path assetCacheDir, Path workRoot,
                            long planCacheMaxBytes, NpmRegistry npmRegistry, ProgressSteps.@Nullable Billing billing,
                            Duration renderTimeout) {

    public EngineOptions {
        npmRegistry = npmRegistry == null ? NpmRegistry.at(NpmRegistry.DEFAULT_URL) : npmRegistry;
        renderTimeout = renderTimeout == null ? RenderDeadline.DEFAULT_TIMEOUT : renderTimeout;
    }

    /** Off Lambda (nothing billed), with the default render timeout. */
    public EngineOptions(Storage storage, BrowserOptions browser, FfmpegTools ffmpeg, Path assetCacheDir, Path workRoot,
                         long planCacheMaxBytes, NpmRegistry npmRegistry) {
        this(storage, browser, ffmpeg, assetCacheDir, workRoot, planCacheMaxBytes, npmRegistry, null, null);
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

    /** The same options over another storage (the CLI's bucket-limited one). */
    public EngineOptions withStorage(Storage other) {
        return new EngineOptions(other, browser, ffmpeg, assetCacheDir, workRoot, planCacheMaxBytes, npmRegistry, billing,
                renderTimeout);
    }
}
