package dev.hfr.function.runtime;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.engine.Engine;
import dev.hfr.engine.Engines;
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
     * {@link Engines#fromEnvironment()}, except when the cold start unpacked {@code @sparticuz/chromium}: that
     * browser's path and environment (NSS library path, fonts.conf, HOME) exist only as the system properties
     * {@link ChromiumInstall#publish()} set, since a JVM cannot change its own environment, so they are handed
     * to the browser through {@link BrowserOptions}.
     */
    @Singleton
    Engine engine() {
        String executable = System.getProperty(ChromiumInstall.PATH_PROPERTY);
        if (executable == null) {
            return Engines.fromEnvironment();
        }
        BrowserOptions browser = BrowserOptions.defaults()
                .withExecutable(Path.of(executable))
                .withExtraEnv(ChromiumInstall.publishedEnv());
        return Engines.fromEnvironment(browser);
    }
}
