package dev.hfr.engine;

import dev.hfr.model.AssembleEvent;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderChunkResult;

/**
 * The three steps of a render, as the orchestrators (Lambda handlers, Step Functions activity worker,
 * SQS consumers, local mode, CLI) see them. Implementations read and write through {@code Storage},
 * so the same code runs on S3 and on local files. Every failure is a {@code RenderException}.
 */
public final class Steps {
    private Steps() {
    }

    /** Plan: unpack the project, compile and probe it, resolve assets, slice, write the plan manifest. */
    @FunctionalInterface
    public interface Plan {
        PlanResult plan(PlanEvent event);
    }

    /** RenderChunk: verify the plan, capture the chunk's frames and encode a concat-safe chunk. */
    @FunctionalInterface
    public interface RenderChunk {
        RenderChunkResult renderChunk(RenderChunkEvent event);
    }

    /** Assemble: concatenate every chunk, mux audio, publish the output exactly once. */
    @FunctionalInterface
    public interface Assemble {
        AssembleResult assemble(AssembleEvent event);
    }
}
