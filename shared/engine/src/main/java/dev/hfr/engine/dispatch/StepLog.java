package dev.hfr.engine.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hfr.model.Json;
import dev.hfr.model.RenderException;
import io.micronaut.serde.annotation.Serdeable;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One structured JSON line per step event: render id, step, chunk, duration, code. Written to stderr so
 * stdout stays free for results (CLI) and so Lambda sends it to CloudWatch. Quiet unless a failure
 * happens or {@code HFR_LOG=info}.
 */
public final class StepLog {
    private static volatile PrintStream out = System.err;

    private StepLog() {
    }

    /** Mutable context filled while an event is parsed. */
    public static final class Context {
        private final String step;
        private String renderId;
        private Integer chunk;

        public Context(String step) {
            this.step = step;
        }

        public void renderId(String id) {
            this.renderId = id;
        }

        public void chunk(int index) {
            this.chunk = index;
        }
    }

    public static boolean verbose() {
        String v = System.getenv("HFR_LOG");
        return v != null && (v.equalsIgnoreCase("info") || v.equalsIgnoreCase("debug"));
    }

    public static void redirect(PrintStream stream) {
        out = stream;
    }

    public static void success(Context c, long millis) {
        if (verbose() || System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null) {
            out.println(line(c, "step_succeeded", millis, null, null));
        }
    }

    public static void failure(Context c, long millis, RenderException e) {
        // clipped before the pointer is added, so the 2000-character cap of line() never cuts the pointer off
        String message = e.getMessage() != null && e.getMessage().length() > 1900
                ? e.getMessage().substring(0, 1900) + "..." : e.getMessage();
        out.println(line(c, "step_failed", millis, e.code().name(), e.code().withDocsPointer(message)));
    }

    public static void event(String event, String renderId, String step, Integer chunk, long millis) {
        if (verbose()) {
            Context c = new Context(step);
            c.renderId = renderId;
            c.chunk = chunk;
            out.println(line(c, event, millis, null, null));
        }
    }

    /**
     * One line per task a long-running worker ({@code hf worker}) finished, whatever the outcome and log level:
     * {@code {"event":"task_finished","step":..,"source":"activity"|"sqs","renderId":..,"chunk":..,"durationMs":..,
     * "outcome":..,"code":..}}. {@code outcome} is succeeded/failed for activities, done/drop/retry for queue
     * messages; {@code code} is the ErrorCode name of a failure, else absent.
     */
    public static void task(String source, String step, String renderId, Integer chunk, long millis, String outcome,
                            String code) {
        out.println(Json.write(new Line(Instant.now().toString(), "task_finished", step, renderId, chunk, millis, code, null,
                source, outcome)));
    }

    /**
     * A line about something that went wrong beside a step without failing it (a progress write, the stills),
     * whatever the log level: {@code {"ts":..,"event":..,"code":..,"message":..}}.
     */
    public static void warning(String event, String code, String message) {
        out.println(Json.write(new Line(Instant.now().toString(), event, null, null, null, null, code, clip(message),
                null, null)));
    }

    static String line(Context c, String event, long millis, String code, String message) {
        return Json.write(new Line(Instant.now().toString(), event, c.step, c.renderId, c.chunk, millis, code,
                clip(message), null, null));
    }

    /** A message as a log line carries it: at most 2000 characters. */
    private static String clip(String message) {
        return message != null && message.length() > 2000 ? message.substring(0, 2000) : message;
    }

    /** One log line; absent (null) fields are left out. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(String ts, String event, String step, String renderId, Integer chunk, Long durationMs, String code,
                String message, String source, String outcome) {
    }
}
