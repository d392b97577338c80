package dev.hfr.function.runtime;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.compile.AssetCache;
import dev.hfr.engine.Engine;
import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.Engines;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.storage.RoutingStorage;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/**
 * The production Engine, built once per container. Tests supply their own with a
 * {@code @Replaces(value = Engine.class, factory = EngineFactory.class)} bean, or pass an Engine to the handler.
 */
@Factory
public class EngineFactory {

    /**
     * {@link Engines#fromEnvironment()}, except for what the cold start unpacked into /tmp: the
     * {@code @sparticuz/chromium} browser (path and environment: NSS library path, fonts.conf, HOME) and the
     * ffmpeg layer's ffmpeg/ffprobe. Both exist only as the system properties {@link ChromiumInstall#publish()}
     * and {@link FfmpegLayer#publish()} set, since a JVM cannot change its own environment, so they are handed
     * to the engine through {@link BrowserOptions} and {@link FfmpegTools#of(Path, Path)}.
     */
    @Singleton
    Engine engine() {
        BrowserOptions browser = browserOptions();
        FfmpegTools ffmpeg = publishedFfmpeg();
        if (ffmpeg == null) {
            return Engines.fromEnvironment(browser);
        }
        return Engines.create(new EngineOptions(RoutingStorage.fromEnv(), browser, ffmpeg, AssetCache.defaultDir(),
                Engines.defaultWorkRoot(), Engines.defaultPlanCacheMaxBytes()));
    }

    /** The published browser, else the defaults (HFR_CHROMIUM_PATH or PATH). */
    static BrowserOptions browserOptions() {
        String executable = System.getProperty(ChromiumInstall.PATH_PROPERTY);
        if (executable == null) {
            return BrowserOptions.defaults();
        }
        return BrowserOptions.defaults()
                .withExecutable(Path.of(executable))
                .withExtraEnv(ChromiumInstall.publishedEnv());
    }

    /** The tools {@link FfmpegLayer#publish()} announced, or null when it did not run (then FfmpegTools.locate()). */
    static FfmpegTools publishedFfmpeg() {
        String ffmpeg = System.getProperty(FfmpegLayer.FFMPEG_PROPERTY);
        String ffprobe = System.getProperty(FfmpegLayer.FFPROBE_PROPERTY);
        if (ffmpeg == null && ffprobe == null) {
            return null;
        }
        if (ffmpeg == null || ffprobe == null) {
            throw new RenderException(ErrorCode.FFMPEG_UNAVAILABLE, "system properties " + FfmpegLayer.FFMPEG_PROPERTY
                    + "=" + ffmpeg + " and " + FfmpegLayer.FFPROBE_PROPERTY + "=" + ffprobe
                    + ": expected both set (by FfmpegLayer.publish()) or neither");
        }
        return FfmpegTools.of(Path.of(ffmpeg), Path.of(ffprobe));
    }
}
