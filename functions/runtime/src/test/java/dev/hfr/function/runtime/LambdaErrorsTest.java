package dev.hfr.function.runtime;

import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.converters.LambdaErrorConverter;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.dto.ErrorRequest;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Every ErrorCode must reach Step Functions under its own name. The name is computed here by the Lambda
 * runtime interface client's own converter (the code the java21 runtime runs on an uncaught exception), not
 * by a copy of its logic.
 */
class LambdaErrorsTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void runtimeReportsTheCodeAsErrorType(ErrorCode code) {
        RenderException failure = new RenderException(code, "chunk 3: " + code.meaning());

        StepFailure thrown = LambdaErrors.toLambdaError(failure);
        ErrorRequest reported = LambdaErrorConverter.fromThrowable(thrown);

        assertEquals(code.name(), reported.errorType);
        assertEquals(code.name(), LambdaErrors.reportedErrorType(thrown));
        assertEquals("chunk 3: " + code.meaning(), reported.errorMessage);
        assertSame(code, thrown.code());
        assertSame(failure, thrown.getCause());
        assertEquals(code.retryable(), thrown.retryable());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void stackTraceIsTheOriginalFailures(ErrorCode code) {
        RenderException failure = new RenderException(code, "x");
        StepFailure thrown = LambdaErrors.toLambdaError(failure);
        assertEquals(failure.getStackTrace()[0], thrown.getStackTrace()[0]);
    }
}
