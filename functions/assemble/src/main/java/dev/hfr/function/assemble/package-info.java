/** The assemble Lambda function: {@link dev.hfr.function.assemble.AssembleHandler}, which concatenates the chunks, muxes audio and publishes the output. */
package dev.hfr.function.assemble;
