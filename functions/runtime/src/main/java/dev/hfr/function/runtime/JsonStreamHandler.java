package dev.hfr.function.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Lambda stream handler over JSON text: the whole request in as UTF-8, the answer out, and every failure thrown
 * as the {@link StepFailure} named after its error code ({@link LambdaErrors}), so Lambda reports the code as
 * {@code errorType} and Step Functions as the error name. The step functions ({@link StepStreamHandler}) and the
 * SQS mode's queue handlers share it; each says only what {@link #run} does with the text.
 */
public abstract class JsonStreamHandler implements RequestStreamHandler {
    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String result = handle(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        output.write(result.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs one raw event and returns the JSON to send back.
     *
     * @throws StepFailure the subclass named after the failure's error code
     */
    public final String handle(String rawEventJson) {
        try {
            return run(rawEventJson);
        } catch (StepFailure f) {
            throw f;
        } catch (IOException | RuntimeException e) {
            throw LambdaErrors.toLambdaError(RenderException.wrap(e));
        }
    }

    /** What this handler does with one raw event. */
    protected abstract String run(String rawEventJson) throws IOException;
}
