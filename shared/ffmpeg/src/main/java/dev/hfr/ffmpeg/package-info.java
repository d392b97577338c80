/**
 * ffmpeg for the renderer: concat-safe chunk encoding ({@link dev.hfr.ffmpeg.ChunkEncoder} with
 * arguments from {@link dev.hfr.ffmpeg.EncoderArgs}), assembly of chunks into the output
 * ({@link dev.hfr.ffmpeg.Assembler}), the plan-time audio mix ({@link dev.hfr.ffmpeg.AudioMixer}) and
 * video frame extraction ({@link dev.hfr.ffmpeg.VideoFrameExtractor}), plus ffprobe
 * ({@link dev.hfr.ffmpeg.MediaProbe}, through Jaffree). The quality metrics every module's tests use
 * ({@code Quality}) live in this module's test-jar.
 *
 * <p>Command lines are built by small pure methods so they can be unit-tested without ffmpeg; the encoder,
 * frame extraction and assembly run through {@code internal.ProcessRunner}, probing and the audio mix through
 * Jaffree (docs/architecture.md). Every failure is a
 * {@link dev.hfr.model.RenderException} whose message names the file and carries the tail of ffmpeg's
 * stderr.
 */
package dev.hfr.ffmpeg;
