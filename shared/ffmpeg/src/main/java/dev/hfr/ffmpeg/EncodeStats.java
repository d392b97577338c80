package dev.hfr.ffmpeg;

import java.nio.file.Path;

/**
 * What a finished chunk encode produced.
 *
 * @param output         the chunk file, or the frame directory for png-sequence
 * @param framesWritten  frames handed to the encoder (verified equal to the frames in the output)
 * @param encodeMillis   wall time from open to finish; overlaps the caller's capture
 * @param sizeBytes      size of the chunk file, or total size of the frame files
 */
public record EncodeStats(Path output, int framesWritten, long encodeMillis, long sizeBytes) {
}
