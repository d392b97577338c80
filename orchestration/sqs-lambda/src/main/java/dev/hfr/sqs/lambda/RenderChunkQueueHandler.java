package dev.hfr.sqs.lambda;

import dev.hfr.engine.Engine;
import dev.hfr.model.Step;

/**
 * Lambda handler of the SQS mode's chunks queue (SAM: {@code Handler: dev.hfr.sqs.lambda.RenderChunkQueueHandler}).
 * All the work is in {@link QueueHandler}.
 */
public final class RenderChunkQueueHandler extends QueueHandler {
    /** Used by the Lambda runtime, once per container: builds (or reuses) the container's Engine. */
    public RenderChunkQueueHandler() {
        super(Step.RENDER_CHUNK);
    }

    public RenderChunkQueueHandler(Engine engine, Batch batch) {
        super(Step.RENDER_CHUNK, engine, batch);
    }
}
