package dev.hfr.function.renderchunk;

import dev.hfr.engine.Engine;
import dev.hfr.function.runtime.StepStreamHandler;
import dev.hfr.model.Step;
import io.micronaut.context.ApplicationContext;

/**
 * Lambda handler of the render-chunk function (which captures and encodes one chunk).
 * SAM: {@code Handler: dev.hfr.function.renderchunk.RenderChunkHandler}.
 * All the work is in {@link StepStreamHandler}: unwrap, run the {@code renderChunk} step, return its result.
 */
public final class RenderChunkHandler extends StepStreamHandler {
    /** Used by the Lambda runtime, once per container: builds (or reuses) the container's Engine. */
    public RenderChunkHandler() {
        super(Step.RENDER_CHUNK);
    }

    public RenderChunkHandler(ApplicationContext context) {
        super(Step.RENDER_CHUNK, context);
    }

    public RenderChunkHandler(Engine engine) {
        super(Step.RENDER_CHUNK, engine);
    }
}
