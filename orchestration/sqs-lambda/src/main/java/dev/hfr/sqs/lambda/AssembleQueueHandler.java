package dev.hfr.sqs.lambda;

import dev.hfr.engine.Engine;
import dev.hfr.model.Step;

/**
 * Lambda handler of the SQS mode's assemble queue (SAM: {@code Handler: dev.hfr.sqs.lambda.AssembleQueueHandler}).
 * All the work is in {@link QueueHandler}.
 */
public final class AssembleQueueHandler extends QueueHandler {
    /** Used by the Lambda runtime, once per container: builds (or reuses) the container's Engine. */
    public AssembleQueueHandler() {
        super(Step.ASSEMBLE);
    }

    public AssembleQueueHandler(Engine engine, Batch batch) {
        super(Step.ASSEMBLE, engine, batch);
    }
}
