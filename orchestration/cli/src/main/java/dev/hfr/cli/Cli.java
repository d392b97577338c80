package dev.hfr.cli;

import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.Engines;
import dev.hfr.browser.BrowserOptions;
import dev.hfr.compile.AssetCache;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.StorageConfig;

/** Builds the engine options the commands share. */
final class Cli {
    private Cli() {
    }

    static EngineOptions engineOptions() {
        return engineOptions(RoutingStorage.fromEnv());
    }

    static EngineOptions engineOptions(RoutingStorage storage) {
        return new EngineOptions(storage, BrowserOptions.defaults(), FfmpegTools.locate(),
                AssetCache.defaultDir(), Engines.defaultWorkRoot(), Engines.defaultPlanCacheMaxBytes());
    }

    /**
     * Storage as {@link RoutingStorage#fromEnv()} builds it, limited to the stack's render bucket unless
     * HFR_RENDER_BUCKET names one itself.
     */
    static RoutingStorage storageFor(String renderBucket) {
        return new RoutingStorage(StorageConfig.fromEnv(k -> {
            String v = System.getenv(k);
            return k.equals("HFR_RENDER_BUCKET") && (v == null || v.isBlank()) ? renderBucket : v;
        }));
    }
}
