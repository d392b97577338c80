package dev.hfr.function.runtime;

import dev.hfr.engine.Engine;
import dev.hfr.engine.Engines;
import dev.hfr.engine.HfrSettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The production Engine, built once per container by {@link Engines#create(HfrSettings)} from the settings
 * {@link ColdStart} registered (the environment, with the browser and ffmpeg it unpacked). Tests supply their own
 * with a {@code @Replaces(value = Engine.class, factory = EngineFactory.class)} bean, or pass an Engine to the handler.
 */
@Factory
public class EngineFactory {

    @Singleton
    Engine engine(HfrSettings settings) {
        return Engines.create(settings);
    }
}
