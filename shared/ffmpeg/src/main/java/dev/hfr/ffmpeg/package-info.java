/**
 * ffmpeg for the renderer: concat-safe chunk encoding ({@link dev.hfr.ffmpeg.ChunkEncoder} with
 * arguments from {@link dev.hfr.ffmpeg.EncoderArgs}), assembly of chunks into the output
 * ({@link dev.hfr.ffmpeg.Assembler}), the plan-time audio mix ({@link dev.hfr.ffmpeg.AudioMixer}) and
 * video frame extraction ({@link dev.hfr.ffmpeg.VideoFrameExtractor}), plus ffprobe
 * ({@link dev.hfr.ffmpeg.MediaProbe}) and the quality metrics every module's tests use
 * ({@link dev.hfr.ffmpeg.Quality}).
 *
 * <p>Command lines are built as {@code List<String>} by small pure methods so they can be unit-tested
 * without ffmpeg; processes are run by {@code internal.ProcessRunner}. Every failure is a
 * {@link dev.hfr.model.RenderException} whose message names the file and carries the tail of ffmpeg's
 * stderr.
 */
package dev.hfr.ffmpeg;
