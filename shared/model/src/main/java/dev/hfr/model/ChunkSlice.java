package dev.hfr.model;

import io.micronaut.serde.annotation.Serdeable;

/** Frames {@code [startFrame, endFrame)} of the composition, rendered as chunk {@code index}. */
@Serdeable
public record ChunkSlice(int index, int startFrame, int endFrame) {
    public ChunkSlice {
        if (index < 0 || startFrame < 0 || endFrame <= startFrame) {
            throw new IllegalArgumentException("bad chunk slice " + index + " [" + startFrame + "," + endFrame + ")");
        }
    }

    public int frameCount() {
        return endFrame - startFrame;
    }
}
