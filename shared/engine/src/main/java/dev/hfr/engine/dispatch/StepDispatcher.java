package dev.hfr.engine.dispatch;

import dev.hfr.engine.Steps;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.util.Objects;

/**
 * The plumbing every entry point shares (Lambda handlers, the Step Functions activity worker, the
 * SQS consumers, {@code hf plan|render-chunk|assemble}): parse the step's event into its record, run the
 * step, log one structured line, and turn any failure into a {@link RenderException}.
 *
 * <p>The event is the bare step event. Envelopes are the caller's business: the Lambda runtime removes
 * Step Functions' and the console's {@code Payload}/{@code Input} wrapping before it calls this.
 */
public final class StepDispatcher {
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

    /** Runs {@code step} on its bare JSON event and returns the step's result as JSON. */
    public String dispatch(Step step, String eventJson) {
        Objects.requireNonNull(step, "step");
        long t0 = System.nanoTime();
        StepLog.Context ctx = new StepLog.Context(step.wireName());
        try {
            Object result = switch (step) {
                case PLAN -> {
                    PlanEvent e = read(eventJson, PlanEvent.class);
                    ctx.renderId(e.renderId());
                    yield plan.plan(e);
                }
                case RENDER_CHUNK -> {
                    RenderChunkEvent e = read(eventJson, RenderChunkEvent.class);
                    ctx.renderId(e.renderId());
                    ctx.chunk(e.chunkIndex());
                    yield renderChunk.renderChunk(e);
                }
                case ASSEMBLE -> {
                    AssembleEvent e = read(eventJson, AssembleEvent.class);
                    ctx.renderId(e.renderId());
                    yield assemble.assemble(e);
                }
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
