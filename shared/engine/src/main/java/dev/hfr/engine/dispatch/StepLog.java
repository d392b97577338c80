package dev.hfr.engine.dispatch;

import dev.hfr.model.CanonicalJson;
import dev.hfr.model.RenderException;

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
        Context c = new Context(step);
        c.renderId = renderId;
        c.chunk = chunk;
        String l = line(c, "task_finished", millis, code, null);
        StringBuilder sb = new StringBuilder(l.length() + 48).append(l, 0, l.length() - 1).append(',');
        field(sb, "source", source).append(',');
        field(sb, "outcome", outcome);
        out.println(sb.append('}'));
    }

    static String line(Context c, String event, long millis, String code, String message) {
        StringBuilder sb = new StringBuilder(160).append('{');
        field(sb, "ts", Instant.now().toString()).append(',');
        field(sb, "event", event).append(',');
        field(sb, "step", c.step);
        if (c.renderId != null) {
            field(sb.append(','), "renderId", c.renderId);
        }
        if (c.chunk != null) {
            sb.append(",\"chunk\":").append(c.chunk);
        }
        sb.append(",\"durationMs\":").append(millis);
        if (code != null) {
            field(sb.append(','), "code", code);
        }
        if (message != null) {
            field(sb.append(','), "message", message.length() > 2000 ? message.substring(0, 2000) : message);
        }
        return sb.append('}').toString();
    }

    private static StringBuilder field(StringBuilder sb, String k, String v) {
        sb.append('"').append(k).append("\":");
        if (v == null) {
            return sb.append("null");
        }
        CanonicalJson.string(sb, v);
        return sb;
    }
}
