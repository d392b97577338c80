package dev.hfr.engine;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.compile.AssetCache;
import dev.hfr.compile.NpmRegistry;
import dev.hfr.engine.progress.ProgressSteps;
import dev.hfr.engine.progress.RenderDeadline;
import dev.hfr.engine.support.PlanCache;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.StorageConfig;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The process's settings, read once from the environment (and the few system properties listed in
 * docs/configuration.md) at the composition root and handed down as typed values. The libraries (storage,
 * browser, ffmpeg, compile, engine) take these values as parameters; none of them reads the environment.
 *
 * @param storage           how to reach S3 and which buckets and prefixes steps may touch
 * @param browser           how to start Chromium ({@code HFR_CHROMIUM_PATH}, else {@code PATH}, else Debian's)
 * @param ffmpegPath        {@code HFR_FFMPEG_PATH}, or null to search {@code searchPath}
 * @param ffprobePath       {@code HFR_FFPROBE_PATH}, or null to look next to ffmpeg, then on {@code searchPath}
 * @param searchPath        {@code PATH}, where executables are searched
 * @param assetCacheDir     the offline asset cache
 * @param npmRegistry       where the plan fetches npm packages missing from the cache
 * @param workRoot          scratch space and the plan cache's home
 * @param planCacheMaxBytes bound of the plan cache under {@code workRoot}
 * @param billing           the Lambda function's billed size ({@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE},
 *                          {@code HFR_EPHEMERAL_STORAGE_MB}, {@code os.arch}), or null off Lambda
 * @param renderTimeout     {@code HFR_RENDER_TIMEOUT_SECONDS}, else {@link RenderDeadline#DEFAULT_TIMEOUT}
 */
public record HfrSettings(StorageConfig storage, BrowserOptions browser, String ffmpegPath, String ffprobePath,
                          String searchPath, Path assetCacheDir, NpmRegistry npmRegistry, Path workRoot,
                          long planCacheMaxBytes, ProgressSteps.@Nullable Billing billing, Duration renderTimeout) {
    public static final String PLAN_CACHE_MB_ENV = "HFR_PLAN_CACHE_MB";
    public static final String WORK_DIR_ENV = "HFR_WORK_DIR";

    public HfrSettings {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(browser, "browser");
        Objects.requireNonNull(assetCacheDir, "assetCacheDir");
        Objects.requireNonNull(npmRegistry, "npmRegistry");
        Objects.requireNonNull(workRoot, "workRoot");
        Objects.requireNonNull(renderTimeout, "renderTimeout");
    }

    /**
     * This process's settings. Only the composition roots call it (the {@code hf} command line, the Lambda cold
     * start, the bench); a source scan (tests/architecture) keeps every other main class from reading the
     * environment.
     */
    public static HfrSettings fromEnvironment() {
        return from(System::getenv, System::getProperty);
    }

    /** The settings over explicit lookups (the Lambda cold start's environment map, tests). */
    public static HfrSettings from(UnaryOperator<String> env, UnaryOperator<String> property) {
        return new HfrSettings(StorageConfig.fromEnv(env), BrowserOptions.fromEnvironment(env),
                blankToNull(env.apply(FfmpegTools.FFMPEG_ENV)), blankToNull(env.apply(FfmpegTools.FFPROBE_ENV)),
                env.apply("PATH"), AssetCache.defaultDir(env, property), NpmRegistry.fromEnvironment(env),
                workRoot(env.apply(WORK_DIR_ENV), property.apply("java.io.tmpdir")),
                planCacheMaxBytes(env.apply(PLAN_CACHE_MB_ENV)),
                ProgressSteps.Billing.from(env.apply(ProgressSteps.Billing.MEMORY_SIZE_ENV),
                        env.apply(ProgressSteps.Billing.EPHEMERAL_STORAGE_ENV), property.apply("os.arch")),
                RenderDeadline.timeout(env.apply(RenderDeadline.TIMEOUT_ENV)));
    }

    /** With another browser (Lambda: the unpacked {@code @sparticuz/chromium} and its environment). */
    public HfrSettings withBrowser(BrowserOptions other) {
        return new HfrSettings(storage, other, ffmpegPath, ffprobePath, searchPath, assetCacheDir, npmRegistry, workRoot,
                planCacheMaxBytes, billing, renderTimeout);
    }

    /** With explicit ffmpeg and ffprobe executables (Lambda: the ffmpeg layer unpacked into /tmp/bin). */
    public HfrSettings withFfmpeg(Path ffmpeg, Path ffprobe) {
        return new HfrSettings(storage, browser, ffmpeg.toString(), ffprobe.toString(), searchPath, assetCacheDir,
                npmRegistry, workRoot, planCacheMaxBytes, billing, renderTimeout);
    }

    /** The ffmpeg and ffprobe these settings name; missing -> FFMPEG_UNAVAILABLE naming the variable. */
    public FfmpegTools ffmpegTools() {
        Map<String, String> lookup = new LinkedHashMap<>();
        if (ffmpegPath != null) {
            lookup.put(FfmpegTools.FFMPEG_ENV, ffmpegPath);
        }
        if (ffprobePath != null) {
            lookup.put(FfmpegTools.FFPROBE_ENV, ffprobePath);
        }
        if (searchPath != null) {
            lookup.put("PATH", searchPath);
        }
        return FfmpegTools.locate(lookup);
    }

    /** What the step services take: a new storage over {@link #storage()}, the browser, the located tools, ... */
    public EngineOptions engineOptions() {
        return new EngineOptions(new RoutingStorage(storage), browser, ffmpegTools(), assetCacheDir, workRoot,
                planCacheMaxBytes, npmRegistry, billing, renderTimeout);
    }

    /** HFR_WORK_DIR, else {@code <java.io.tmpdir>/hfr} (Lambda: /tmp/hfr). */
    static Path workRoot(String env, String tmpdir) {
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(tmpdir, "hfr");
    }

    /** HFR_PLAN_CACHE_MB (megabytes of materialised plans kept under the work root), else 1 GiB. */
    static long planCacheMaxBytes(String env) {
        if (env == null || env.isBlank()) {
            return PlanCache.DEFAULT_MAX_BYTES;
        }
        try {
            long mb = Long.parseLong(env.strip());
            if (mb >= 0) {
                return mb * 1024 * 1024;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new RenderException(ErrorCode.INVALID_CONFIG, PLAN_CACHE_MB_ENV + " is \"" + env
                + "\"; expected a whole number of megabytes >= 0");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
