package dev.hfr.engine.support;

import dev.hfr.engine.EngineOptions;
import dev.hfr.model.Json;

/**
 * The one-time costs of a fresh JVM that every render pays on its critical path, paid instead on a daemon thread
 * while the entry point goes on (the plan's compile and its browser's start; a Lambda's Chromium unpack):
 * <ul>
 *   <li>the JSON mapper: Micronaut Serde builds its bean context on first use, 0.6–0.9 s cold on this machine,
 *       inside the compile (which reads font metadata) or the first manifest write;</li>
 *   <li>{@code ffmpeg -version}, which the plan records and every chunk checks: one process start, about 0.1 s.</li>
 * </ul>
 * Both are cached once computed, and a caller that needs one before the warm-up finished waits for it (class
 * initialisation) or computes it again (the version): the warm-up never changes a result. A failure here is
 * dropped: the real call fails the same way and reports it.
 */
public final class WarmUp {
    private WarmUp() {
    }

    /** Starts the warm-up of {@code options}' JSON mapper and ffmpeg version; returns the thread (tests join it). */
    public static Thread start(EngineOptions options) {
        return Thread.ofPlatform().daemon().name("hfr-warm-up").start(() -> {
            try {
                Json.mapper();
            } catch (RuntimeException | LinkageError ignored) {
                // the first real use reports it
            }
            try {
                if (options.ffmpeg() != null) {
                    options.ffmpeg().version();
                }
            } catch (RuntimeException ignored) {
                // FFMPEG_UNAVAILABLE is reported by the plan's own call
            }
        });
    }
}
