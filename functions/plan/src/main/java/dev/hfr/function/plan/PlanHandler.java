package dev.hfr.function.plan;

import dev.hfr.engine.Engine;
import dev.hfr.function.runtime.StepStreamHandler;
import dev.hfr.model.Step;
import io.micronaut.context.ApplicationContext;

/**
 * Lambda handler of the plan function (which unpacks, compiles and probes the project and writes the plan).
 * SAM: {@code Handler: dev.hfr.function.plan.PlanHandler}.
 * All the work is in {@link StepStreamHandler}: unwrap, run the {@code plan} step, return its result.
 */
public final class PlanHandler extends StepStreamHandler {
    /** Used by the Lambda runtime, once per container: builds (or reuses) the container's Engine. */
    public PlanHandler() {
        super(Step.PLAN);
    }

    public PlanHandler(ApplicationContext context) {
        super(Step.PLAN, context);
    }

    public PlanHandler(Engine engine) {
        super(Step.PLAN, engine);
    }
}
