package dev.hfr.sqs;

import dev.hfr.engine.dispatch.StepLog;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@link StepLog} lines a test's steps write, captured for its assertions and messages
 * ({@code @RegisterExtension final CapturedStepLog log = new CapturedStepLog();}); the log goes back to
 * standard error after each test.
 */
final class CapturedStepLog implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();

    @Override
    public void beforeEach(ExtensionContext context) {
        lines.reset();
        StepLog.redirect(new PrintStream(lines, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        StepLog.redirect(System.err);
    }

    /** What was logged so far. */
    @Override
    public String toString() {
        return lines.toString(StandardCharsets.UTF_8);
    }
}
