package dev.hfr.engine.dispatch;

import dev.hfr.engine.Steps;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderException;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.util.Map;

/**
 * The plumbing every entry point shares (Lambda handlers, the Step Functions activity worker, the
 * SQS consumers, {@code hf plan|render-chunk|assemble}): unwrap the event, parse it into the step's
 * record, run the step, log one structured line, and turn any failure into a {@link RenderException}.
 */
public final class StepDispatcher {
    public static final String PLAN = "plan";
    public static final String RENDER_CHUNK = "renderChunk";
    public static final String ASSEMBLE = "assemble";
    private static final int MAX_UNWRAP_LEVELS = 4;

    private final Steps.Plan plan;
    private final Steps.RenderChunk renderChunk;
    private final Steps.Assemble assemble;
    private final ObjectMapper json;

    public StepDispatcher(Steps.Plan plan, Steps.RenderChunk renderChunk, Steps.Assemble assemble) {
        this.plan = plan;
        this.renderChunk = renderChunk;
        this.assemble = assemble;
        this.json = ObjectMapper.getDefault();
    }

    /**
     * Runs {@code step} on a raw JSON event (bare, or wrapped in {@code Payload}/{@code Input} up to four
     * levels, as Step Functions and the Lambda console send it) and returns the result as JSON.
     * When {@code step} is null the event's {@code Action} field picks it.
     */
    public String dispatch(String step, String rawJson) {
        long t0 = System.nanoTime();
        String unwrapped = unwrap(rawJson);
        String action = step != null ? step : actionOf(unwrapped);
        StepLog.Context ctx = new StepLog.Context(action);
        try {
            Object result = switch (normalise(action)) {
                case PLAN -> {
                    PlanEvent e = read(unwrapped, PlanEvent.class);
                    ctx.renderId(e.renderId());
                    yield plan.plan(e);
                }
                case RENDER_CHUNK -> {
                    RenderChunkEvent e = read(unwrapped, RenderChunkEvent.class);
                    ctx.renderId(e.renderId());
                    ctx.chunk(e.chunkIndex());
                    yield renderChunk.renderChunk(e);
                }
                case ASSEMBLE -> {
                    AssembleEvent e = read(unwrapped, AssembleEvent.class);
                    ctx.renderId(e.renderId());
                    yield assemble.assemble(e);
                }
                default -> throw new RenderException(ErrorCode.INVALID_EVENT,
                        "unknown Action \"" + action + "\": expected plan, renderChunk or assemble");
            };
            String out = json.writeValueAsString(result);
            StepLog.success(ctx, millisSince(t0));
            return out;
        } catch (Throwable t) {
            RenderException re = RenderException.wrap(t);
            StepLog.failure(ctx, millisSince(t0), re);
            throw re;
        }
    }

    /** Removes up to four levels of {@code {"Payload": ...}} / {@code {"Input": ...}} wrapping. */
    public String unwrap(String rawJson) {
        try {
            Object node = json.readValue(rawJson, Object.class);
            for (int i = 0; i < MAX_UNWRAP_LEVELS && node instanceof Map<?, ?> m; i++) {
                if (m.containsKey("Action") || m.containsKey("ProjectS3Uri") || m.containsKey("PlanManifestS3Uri")) {
                    break;
                }
                Object inner = m.containsKey("Payload") ? m.get("Payload") : m.get("Input");
                if (inner == null) {
                    break;
                }
                node = inner instanceof String s ? json.readValue(s, Object.class) : inner;
            }
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "event is not valid JSON: " + e.getMessage(), e);
        }
    }

    private String actionOf(String json) {
        try {
            Object node = this.json.readValue(json, Object.class);
            if (node instanceof Map<?, ?> m && m.get("Action") instanceof String s) {
                return s;
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "event is not valid JSON: " + e.getMessage(), e);
        }
        throw new RenderException(ErrorCode.INVALID_EVENT,
                "event has no Action field (expected plan, renderChunk or assemble) after unwrapping Payload/Input");
    }

    private static String normalise(String action) {
        if (action == null) {
            return "";
        }
        return switch (action) {
            case "plan", "Plan" -> PLAN;
            case "renderChunk", "render-chunk", "RenderChunk" -> RENDER_CHUNK;
            case "assemble", "Assemble" -> ASSEMBLE;
            default -> action;
        };
    }

    private <T> T read(String s, Class<T> type) {
        try {
            return json.readValue(s, type);
        } catch (IOException | RuntimeException e) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "cannot read the " + type.getSimpleName()
                    + " event: " + e.getMessage(), e);
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
