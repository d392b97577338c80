package dev.hfr.engine;

/** Version of the render engine, folded into every plan hash: a plan made by another engine is refused. */
public final class EngineVersion {
    /** Bump when capture, runtime or encoding changes what a frame looks like. */
    public static final String VALUE = "hfr-engine-0.1.0";

    private EngineVersion() {
    }
}
