package dev.hfr.sqs.lambda;

import dev.hfr.engine.Engine;
import dev.hfr.model.Step;

/**
 * Lambda handler of the SQS mode's render-requests queue (SAM: {@code Handler: dev.hfr.sqs.lambda.PlanQueueHandler}).
 * All the work is in {@link QueueHandler}.
 */
public final class PlanQueueHandler extends QueueHandler {
    /** Used by the Lambda runtime, once per container: builds (or reuses) the container's Engine. */
    public PlanQueueHandler() {
        super(Step.PLAN);
    }

    public PlanQueueHandler(Engine engine, Batch batch) {
        super(Step.PLAN, engine, batch);
    }
}
