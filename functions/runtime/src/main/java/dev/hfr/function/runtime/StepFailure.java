package dev.hfr.function.runtime;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

/**
 * What a handler throws to the Lambda runtime. Each {@link ErrorCode} has one concrete subclass, declared in
 * the unnamed package with the code as its name (see {@code LambdaErrorTypes.java}), because the Java runtime
 * reports {@code throwable.getClass().getName()} as {@code errorType} and Step Functions matches Retry/Catch
 * rules against exactly that string. A class in a named package would be reported as
 * {@code dev.hfr....PLAN_HASH_MISMATCH}, which no {@code ErrorEquals: ["PLAN_HASH_MISMATCH"]} rule matches.
 *
 * <p>The message is the {@link RenderException}'s message (it becomes {@code errorMessage}, part of the
 * Step Functions {@code Cause}); the stack trace is the original failure's, so the Cause shows where it
 * happened rather than where it was translated.
 */
public abstract class StepFailure extends RuntimeException {
    private final ErrorCode code;

    protected StepFailure(ErrorCode code, RenderException cause) {
        super(cause.getMessage(), cause);
        this.code = code;
        setStackTrace(cause.getStackTrace());
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return code.retryable();
    }

    @Override
    public String toString() {
        return code.name() + ": " + getMessage();
    }
}
