package dev.hfr.engine;

import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.engine.progress.ProgressSteps;
import dev.hfr.engine.progress.RenderDeadline;
import dev.hfr.storage.Storage;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * The three step services wired together over one {@link Storage}. Every entry point (Lambda handler,
 * activity worker, SQS consumer, local mode, CLI) builds one Engine and calls the same services.
 */
public final class Engine {
    private final Storage storage;
    private final Steps.Plan plan;
    private final Steps.RenderChunk renderChunk;
    private final Steps.Assemble assemble;

    /** Steps that bill nothing (off Lambda) under the default render timeout ({@link RenderDeadline#DEFAULT_TIMEOUT}). */
    public Engine(Storage storage, Steps.Plan plan, Steps.RenderChunk renderChunk, Steps.Assemble assemble) {
        this(storage, plan, renderChunk, assemble, null, RenderDeadline.DEFAULT_TIMEOUT);
    }

    /**
     * @param billing       the Lambda function's billed size each step adds to the render's usage, or null off Lambda
     * @param renderTimeout how long after its plan started a render may run ({@link RenderDeadline})
     */
    public Engine(Storage storage, Steps.Plan plan, Steps.RenderChunk renderChunk, Steps.Assemble assemble,
                  ProgressSteps.@Nullable Billing billing, Duration renderTimeout) {
        this.storage = storage;
        if (storage == null) {
            this.plan = plan;
            this.renderChunk = renderChunk;
            this.assemble = assemble;
        } else {
            // every entry point gets the progress document (and cancellation) the same way
            this.plan = ProgressSteps.plan(storage, plan, billing, renderTimeout);
            this.renderChunk = ProgressSteps.renderChunk(storage, renderChunk, billing);
            this.assemble = ProgressSteps.assemble(storage, assemble, billing);
        }
    }

    public Storage storage() {
        return storage;
    }

    public Steps.Plan plan() {
        return plan;
    }

    public Steps.RenderChunk renderChunk() {
        return renderChunk;
    }

    public Steps.Assemble assemble() {
        return assemble;
    }

    public StepDispatcher dispatcher() {
        return new StepDispatcher(plan, renderChunk, assemble);
    }
}
