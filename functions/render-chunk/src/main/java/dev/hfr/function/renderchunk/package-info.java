/** The render-chunk Lambda function: {@link dev.hfr.function.renderchunk.RenderChunkHandler}, which captures and encodes one chunk. */
package dev.hfr.function.renderchunk;
