package dev.hfr.engine;

import dev.hfr.engine.assemble.AssembleService;
import dev.hfr.engine.chunk.RenderChunkService;
import dev.hfr.engine.plan.PlanService;
import dev.hfr.engine.support.WarmUp;

/**
 * The one place an {@link Engine} is built, for every entry point: the {@code hf} command line, the Lambda
 * cold start's {@code EngineFactory}, the bench and the tests all come here with their {@link HfrSettings}
 * or {@link EngineOptions}.
 */
public final class Engines {
    private Engines() {
    }

    /** The production engine over settings read once at the edge ({@link HfrSettings#fromEnvironment()}). */
    public static Engine create(HfrSettings settings) {
        return create(settings.engineOptions());
    }

    /** The engine over {@code options}; its one-time JVM costs start warming at once ({@link WarmUp}). */
    public static Engine create(EngineOptions options) {
        WarmUp.start(options);
        return new Engine(options.storage(), new PlanService(options), new RenderChunkService(options),
                new AssembleService(options), options.billing(), options.renderTimeout());
    }
}
