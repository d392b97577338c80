package dev.hfr.ffmpeg;

import java.nio.file.Path;

/**
 * What assembly produced.
 *
 * @param output         the final file, or frame directory for png-sequence
 * @param frames         frames in the output (verified equal to the expected count)
 * @param hasAudio       whether audio was muxed (or copied beside the frames)
 * @param audioCopied    whether the audio stream was copied rather than re-encoded
 * @param durationMillis wall time of the assembly
 * @param sizeBytes      size of the output file, or of all files in the frame directory
 */
public record AssembleStats(Path output, long frames, boolean hasAudio, boolean audioCopied, long durationMillis,
                            long sizeBytes) {
}
