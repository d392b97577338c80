package dev.hfr.function.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.hfr.engine.Engine;
import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.sqs.SqsLambdaBatch;
import io.micronaut.context.ApplicationContext;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of every hfr Lambda handler: raw event JSON in, one call, result JSON out.
 *
 * <p>A stream handler rather than {@code MicronautRequestHandler<I, O>}: the raw JSON must reach
 * {@link StepDispatcher} untouched (it unwraps {@code Payload}/{@code Input} itself and parses into the
 * step's record with Micronaut Serde, no Jackson databind reflection), and the handler decides which
 * exception class the runtime sees.
 *
 * <p>Two event shapes: a step event (bare, or wrapped by Step Functions or the console) runs the step and
 * returns its result; an SQS batch ({@code "Records": [...]}) goes to {@code SqsLambdaBatch}, which returns
 * {@code {"batchItemFailures":[...]}}. A failure is thrown as the {@link StepFailure} whose class name is
 * the error code, which Lambda reports as {@code errorType} and Step Functions as the error name.
 */
public abstract class StepStreamHandler implements RequestStreamHandler {
    /** Runs an SQS batch event; production: {@link SqsLambdaBatch#handle(String, String, Engine)}. */
    @FunctionalInterface
    public interface SqsBatch {
        String handle(String step, String rawEventJson, Engine engine);
    }

    private final String step;
    private final Engine engine;
    private final StepDispatcher dispatcher;
    private final SqsBatch sqsBatch;
    private final ObjectMapper json = ObjectMapper.getDefault();

    /** Production: the container's {@link ColdStart} (context, Engine, unpacked browser), built on first use. */
    protected StepStreamHandler(String step) {
        this(step, ColdStart.get().engine());
    }

    /** The Engine bean of {@code context} (tests replace it with {@code @Replaces}). */
    protected StepStreamHandler(String step, ApplicationContext context) {
        this(step, context.getBean(Engine.class));
    }

    protected StepStreamHandler(String step, Engine engine) {
        this(step, engine, SqsLambdaBatch::handle);
    }

    /** With another SQS batch runner (tests: SqsLambdaBatch needs real queues). */
    protected StepStreamHandler(String step, Engine engine, SqsBatch sqsBatch) {
        this.step = Objects.requireNonNull(step);
        this.engine = Objects.requireNonNull(engine);
        this.dispatcher = engine.dispatcher();
        this.sqsBatch = Objects.requireNonNull(sqsBatch);
    }

    /** The step this function runs: {@code plan}, {@code renderChunk} or {@code assemble}. */
    public String step() {
        return step;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String result = handle(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        output.write(result.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs one raw event and returns the JSON to send back.
     *
     * @throws StepFailure the subclass named after the failure's {@link ErrorCode}
     */
    public String handle(String rawEventJson) {
        try {
            if (isSqsBatch(rawEventJson)) {
                return sqsBatch.handle(step, rawEventJson, engine);
            }
            checkAction(rawEventJson);
            return dispatcher.dispatch(step, rawEventJson);
        } catch (StepFailure f) {
            throw f;
        } catch (RuntimeException e) {
            throw LambdaErrors.toLambdaError(RenderException.wrap(e));
        }
    }

    /**
     * Each function runs one step: an event whose {@code Action} names another step (or none we know) is
     * refused rather than run on a function sized for something else. No Action means this function's step.
     */
    private void checkAction(String rawEventJson) {
        Object node = readTree(dispatcher.unwrap(rawEventJson));
        if (!(node instanceof Map<?, ?> m)) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "the " + step + " event must be a JSON object, got "
                    + (node == null ? "null" : node.getClass().getSimpleName()));
        }
        Object action = m.get("Action");
        if (action == null) {
            return;
        }
        String normalised = normalise(String.valueOf(action));
        if (!step.equals(normalised)) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "unknown Action \"" + action + "\" for the " + step
                    + " function: expected \"" + step + "\" (or no Action)");
        }
    }

    private boolean isSqsBatch(String rawEventJson) {
        return readTree(rawEventJson) instanceof Map<?, ?> m && m.get("Records") instanceof List<?>;
    }

    private Object readTree(String s) {
        try {
            return json.readValue(s, Object.class);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "the " + step + " event is not valid JSON: "
                    + e.getMessage(), e);
        }
    }

    /** The Action spellings StepDispatcher accepts, mapped to its step names. */
    static String normalise(String action) {
        return switch (action) {
            case "plan", "Plan" -> StepDispatcher.PLAN;
            case "renderChunk", "render-chunk", "RenderChunk" -> StepDispatcher.RENDER_CHUNK;
            case "assemble", "Assemble" -> StepDispatcher.ASSEMBLE;
            default -> action;
        };
    }
}
