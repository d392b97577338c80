package dev.hfr.sqs.lambda;

import dev.hfr.engine.Engine;
import dev.hfr.function.runtime.ColdStart;
import dev.hfr.function.runtime.JsonStreamHandler;
import dev.hfr.function.runtime.StepFailure;
import dev.hfr.model.Step;
import dev.hfr.sqs.SqsLambdaBatch;
import dev.hfr.sqs.SqsQueues;

import java.util.Objects;

/**
 * The body of the SQS mode's Lambda handlers: an SQS batch ({@code {"Records":[...]}}) from one step's queue
 * in, the partial-batch response ({@code {"batchItemFailures":[...]}}) out. The step functions'
 * {@code StepStreamHandler} knows nothing of queues; the template's SQS event sources name these handlers.
 * A failure of the batch as a whole (an event that is not an SQS batch) is thrown as the {@link StepFailure}
 * named after its error code, as the step functions do.
 */
public abstract class QueueHandler extends JsonStreamHandler {
    /** Runs one SQS batch for a step; production: {@link SqsLambdaBatch#handle(Step, String, Engine, SqsQueues)}. */
    @FunctionalInterface
    public interface Batch {
        String handle(Step step, String rawEventJson, Engine engine);
    }

    private final Step step;
    private final Engine engine;
    private final Batch batch;

    /** Production: the container's {@link ColdStart} Engine and the queues its environment names. */
    protected QueueHandler(Step step) {
        this(step, ColdStart.get().engine(), batchOver(SqsQueues.fromMap(ColdStart.get().environment())));
    }

    /** The production batch over the given queues. */
    static Batch batchOver(SqsQueues queues) {
        return (step, rawEventJson, engine) -> SqsLambdaBatch.handle(step, rawEventJson, engine, queues);
    }

    protected QueueHandler(Step step, Engine engine, Batch batch) {
        this.step = Objects.requireNonNull(step);
        this.engine = Objects.requireNonNull(engine);
        this.batch = Objects.requireNonNull(batch);
    }

    /** The step whose queue this handler consumes. */
    public Step step() {
        return step;
    }

    /** Runs one SQS batch and returns the partial-batch response. */
    @Override
    protected String run(String rawEventJson) {
        return batch.handle(step, rawEventJson, engine);
    }
}
