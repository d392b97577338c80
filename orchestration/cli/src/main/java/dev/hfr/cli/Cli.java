package dev.hfr.cli;

import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.Engines;
import dev.hfr.browser.BrowserOptions;
import dev.hfr.compile.AssetCache;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.storage.RoutingStorage;

/** Builds the engine options the commands share. */
final class Cli {
    private Cli() {
    }

    static EngineOptions engineOptions() {
        return new EngineOptions(RoutingStorage.fromEnv(), BrowserOptions.defaults(), FfmpegTools.locate(),
                AssetCache.defaultDir(), Engines.defaultWorkRoot(), Engines.defaultPlanCacheMaxBytes());
    }
}
