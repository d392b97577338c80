package dev.hfr.engine;

import dev.hfr.engine.assemble.AssembleService;
import dev.hfr.engine.chunk.RenderChunkService;
import dev.hfr.engine.plan.PlanService;

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

    public static Engine create(EngineOptions options) {
        return new Engine(options.storage(), new PlanService(options), new RenderChunkService(options),
                new AssembleService(options), options.billing(), options.renderTimeout());
    }
}
