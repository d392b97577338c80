package dev.hfr.model;

import java.util.List;
import java.util.Objects;

/**
 * The one unchecked exception of the renderer: a stable {@link ErrorCode} plus a message that says
 * which field, file or URL is at fault and what was expected. Subclasses add context.
 */
public class RenderException extends RuntimeException {
    private final ErrorCode code;

    /** What Linux (ENOSPC), and ffmpeg quoting it, say when a write finds the disk full. */
    private static final String NO_SPACE = "No space left on device";

    public RenderException(ErrorCode code, String message) {
        super(message);
        this.code = diskFullOr(Objects.requireNonNull(code), message, null);
    }

    public RenderException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = diskFullOr(Objects.requireNonNull(code), message, cause);
    }

    /**
     * A full disk is the same failure wherever it strikes (unpacking, compiling, extracting frames, encoding,
     * downloading artifacts) and a retry on the same worker cannot help: so a retryable code whose message or
     * cause chain says ENOSPC becomes the non-retryable INSUFFICIENT_DISK, here, once, instead of in every
     * catch block. Non-retryable codes (input problems, interruption) keep their meaning.
     */
    private static ErrorCode diskFullOr(ErrorCode code, String message, Throwable cause) {
        if (!code.retryable()) {
            return code;
        }
        if (message != null && message.contains(NO_SPACE)) {
            return ErrorCode.INSUFFICIENT_DISK;
        }
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof RenderException re && re.code == ErrorCode.INSUFFICIENT_DISK) {
                return ErrorCode.INSUFFICIENT_DISK;
            }
            if (t.getMessage() != null && t.getMessage().contains(NO_SPACE)) {
                return ErrorCode.INSUFFICIENT_DISK;
            }
        }
        return code;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return code.retryable();
    }

    /** The tail of a child process's stderr, kept short enough for a Step Functions Cause. */
    public static String tail(String text, int maxLines) {
        if (text == null || text.isBlank()) {
            return "";
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
    }

    /**
     * Wraps anything into a RenderException, keeping an existing code: I/O failures are STORAGE_ERROR (retried);
     * the exceptions the JDK uses for broken invariants (IllegalArgument, IllegalState, NullPointer, ClassCast,
     * IndexOutOfBounds, UnsupportedOperation, Arithmetic) are PROGRAMMING_ERROR, which is never retried because
     * the same code on the same input fails the same way; anything else is the retried INTERNAL_ERROR.
     */
    public static RenderException wrap(Throwable t) {
        if (t instanceof RenderException re) {
            return re;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new RenderException(ErrorCode.INTERRUPTED, "interrupted", t);
        }
        if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
            return new RenderException(ErrorCode.STORAGE_ERROR, String.valueOf(t.getMessage()), t);
        }
        String text = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (isProgrammingError(t)) {
            return new RenderException(ErrorCode.PROGRAMMING_ERROR, text, t);
        }
        return new RenderException(ErrorCode.INTERNAL_ERROR, text, t);
    }

    private static boolean isProgrammingError(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof NullPointerException || t instanceof ClassCastException
                || t instanceof IndexOutOfBoundsException || t instanceof UnsupportedOperationException
                || t instanceof ArithmeticException;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
