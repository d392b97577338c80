package dev.hfr.engine;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.compile.AssetCache;
import dev.hfr.engine.assemble.AssembleService;
import dev.hfr.engine.chunk.RenderChunkService;
import dev.hfr.engine.plan.PlanService;
import dev.hfr.engine.support.PlanCache;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.Storage;

import java.nio.file.Path;

/** Builds the production {@link Engine} from the environment (storage, browser, ffmpeg, asset cache). */
public final class Engines {
    private Engines() {
    }

    /** Storage from HFR_RENDER_BUCKET / HFR_S3_ENDPOINT, Chromium and ffmpeg from PATH or HFR_* overrides. */
    public static Engine fromEnvironment() {
        return fromEnvironment(BrowserOptions.defaults());
    }

    /** As {@link #fromEnvironment()} with a given browser (Lambda: the unpacked serverless Chromium). */
    public static Engine fromEnvironment(BrowserOptions browser) {
        return create(RoutingStorage.fromEnv(), browser);
    }

    public static Engine create(Storage storage, BrowserOptions browser) {
        return create(new EngineOptions(storage, browser, FfmpegTools.locate(), AssetCache.defaultDir(), defaultWorkRoot(),
                defaultPlanCacheMaxBytes()));
    }

    public static Engine create(EngineOptions options) {
        return new Engine(options.storage(), new PlanService(options), new RenderChunkService(options),
                new AssembleService(options));
    }

    /** HFR_PLAN_CACHE_MB (megabytes of materialised plans kept under the work root), else 1 GiB. */
    public static long defaultPlanCacheMaxBytes() {
        String env = System.getenv("HFR_PLAN_CACHE_MB");
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
        throw new RenderException(ErrorCode.INVALID_CONFIG, "HFR_PLAN_CACHE_MB is \"" + env
                + "\"; expected a whole number of megabytes >= 0");
    }

    /** HFR_WORK_DIR, else the system temp dir (Lambda: /tmp). */
    public static Path defaultWorkRoot() {
        String env = System.getenv("HFR_WORK_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("java.io.tmpdir"), "hfr");
    }
}
