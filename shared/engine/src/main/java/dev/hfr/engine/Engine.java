package dev.hfr.engine;

import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.engine.progress.ProgressSteps;
import dev.hfr.storage.Storage;

/**
 * The three step services wired together over one {@link Storage}. Every entry point (Lambda handler,
 * activity worker, SQS consumer, local mode, CLI) builds one Engine and calls the same services.
 */
public final class Engine {
    private final Storage storage;
    private final Steps.Plan plan;
    private final Steps.RenderChunk renderChunk;
    private final Steps.Assemble assemble;

    public Engine(Storage storage, Steps.Plan plan, Steps.RenderChunk renderChunk, Steps.Assemble assemble) {
        this.storage = storage;
        if (storage == null) {
            this.plan = plan;
            this.renderChunk = renderChunk;
            this.assemble = assemble;
        } else {
            // every entry point gets the progress document (and cancellation) the same way
            ProgressSteps.Billing billing = ProgressSteps.Billing.fromEnvironment();
            this.plan = ProgressSteps.plan(storage, plan, billing);
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
