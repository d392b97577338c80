package dev.hfr.function.runtime;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.lang.reflect.Constructor;
import java.util.EnumMap;
import java.util.Map;

/**
 * Turns a {@link RenderException} into the exception a handler throws, so that Lambda reports the stable
 * error code as {@code errorType} and Step Functions sees it as the error name.
 *
 * <p>The per-code classes live in the unnamed package (a named-package class cannot refer to them by name),
 * so they are looked up once, by name, when this class loads.
 */
public final class LambdaErrors {
    private static final Map<ErrorCode, Constructor<? extends StepFailure>> CONSTRUCTORS = load();

    private LambdaErrors() {
    }

    /** The exception to throw from a handler for {@code failure}: its class name is {@code failure.code().name()}. */
    public static StepFailure toLambdaError(RenderException failure) {
        Constructor<? extends StepFailure> c = CONSTRUCTORS.get(failure.code());
        try {
            return c.newInstance(failure);
        } catch (ReflectiveOperationException e) {
            // Only reachable if LambdaErrorTypes.java and ErrorCode drift apart, which LambdaErrorsTest catches.
            throw new IllegalStateException("cannot build the Lambda error for " + failure.code(), e);
        }
    }

    /**
     * The {@code errorType} the Java Lambda runtime reports for {@code thrown}: the runtime interface client's
     * {@code LambdaErrorConverter.fromThrowable} uses {@code getClass().getName()}.
     */
    public static String reportedErrorType(Throwable thrown) {
        return thrown.getClass().getName();
    }

    private static Map<ErrorCode, Constructor<? extends StepFailure>> load() {
        Map<ErrorCode, Constructor<? extends StepFailure>> m = new EnumMap<>(ErrorCode.class);
        ClassLoader loader = LambdaErrors.class.getClassLoader();
        for (ErrorCode code : ErrorCode.values()) {
            try {
                Class<? extends StepFailure> type = Class.forName(code.name(), true, loader).asSubclass(StepFailure.class);
                Constructor<? extends StepFailure> c = type.getDeclaredConstructor(RenderException.class);
                c.setAccessible(true);
                m.put(code, c);
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new ExceptionInInitializerError("no Lambda error class named " + code.name()
                        + " in the unnamed package (add it to LambdaErrorTypes.java): " + e);
            }
        }
        return m;
    }
}
