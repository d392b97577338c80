package dev.hfr.function.runtime;

import dev.hfr.engine.Engine;
import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import io.micronaut.context.ApplicationContext;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of every hfr step function: raw event JSON in, one step, result JSON out.
 *
 * <p>A stream handler rather than {@code MicronautRequestHandler<I, O>}: the raw JSON must reach us untouched
 * ({@link LambdaEnvelope} removes Step Functions' and the console's {@code Payload}/{@code Input} wrapping, then
 * {@link StepDispatcher} parses the bare event into the step's record with Micronaut Serde, no Jackson
 * databind reflection), and the handler decides which exception class the runtime sees.
 *
 * <p>A failure is thrown as the {@link StepFailure} whose class name is the error code, which Lambda reports as
 * {@code errorType} and Step Functions as the error name. SQS batches are not ours: the SQS mode has its own
 * handlers (orchestration/sqs-lambda), which the template's SQS event sources name.
 */
public abstract class StepStreamHandler extends JsonStreamHandler {
    private final Step step;
    private final StepDispatcher dispatcher;
    private final LambdaEnvelope envelope = new LambdaEnvelope();
    private final ObjectMapper json = ObjectMapper.getDefault();

    /** Production: the container's {@link ColdStart} (context, Engine, unpacked browser), built on first use. */
    protected StepStreamHandler(Step step) {
        this(step, ColdStart.get().engine());
    }

    /** The Engine bean of {@code context} (tests replace it with {@code @Replaces}). */
    protected StepStreamHandler(Step step, ApplicationContext context) {
        this(step, context.getBean(Engine.class));
    }

    protected StepStreamHandler(Step step, Engine engine) {
        this.step = Objects.requireNonNull(step);
        this.dispatcher = Objects.requireNonNull(engine).dispatcher();
    }

    /** The step this function runs. */
    public Step step() {
        return step;
    }

    @Override
    protected String run(String rawEventJson) throws IOException {
        Object event = envelope.unwrapTree(rawEventJson, "the " + step + " event");
        checkShape(event);
        return dispatcher.dispatch(step, json.writeValueAsString(event));
    }

    /**
     * Each function runs one step: an event whose {@code Action} names another step (or none we know) is
     * refused rather than run on a function sized for something else. No Action means this function's step.
     * An SQS batch means an event source points at the wrong handler.
     */
    private void checkShape(Object node) {
        if (!(node instanceof Map<?, ?> m)) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "the " + step + " event must be a JSON object, got "
                    + (node == null ? "null" : node.getClass().getSimpleName()));
        }
        if (m.get("Records") instanceof List<?>) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "an SQS batch reached the " + step
                    + " step function: SQS event sources must name the SQS mode's handler (dev.hfr.sqs.lambda)");
        }
        Object action = m.get("Action");
        if (action == null) {
            return;
        }
        if (Step.find(String.valueOf(action)).orElse(null) != step) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "unknown Action \"" + action + "\" for the " + step
                    + " function: expected \"" + step + "\" (or no Action)");
        }
    }
}
