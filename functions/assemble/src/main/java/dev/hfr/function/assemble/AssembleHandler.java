package dev.hfr.function.assemble;

import dev.hfr.engine.Engine;
import dev.hfr.function.runtime.StepStreamHandler;
import dev.hfr.model.Step;
import io.micronaut.context.ApplicationContext;

/**
 * Lambda handler of the assemble function (which concatenates the chunks, muxes audio and publishes the output).
 * SAM: {@code Handler: dev.hfr.function.assemble.AssembleHandler}.
 * All the work is in {@link StepStreamHandler}: unwrap, run the {@code assemble} step, return its result.
 */
public final class AssembleHandler extends StepStreamHandler {
    /** Used by the Lambda runtime, once per container: builds (or reuses) the container's Engine. */
    public AssembleHandler() {
        super(Step.ASSEMBLE);
    }

    public AssembleHandler(ApplicationContext context) {
        super(Step.ASSEMBLE, context);
    }

    public AssembleHandler(Engine engine) {
        super(Step.ASSEMBLE, engine);
    }
}
