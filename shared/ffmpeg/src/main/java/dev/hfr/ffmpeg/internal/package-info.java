/** Process plumbing and number formatting shared by the ffmpeg classes; not an API. */
package dev.hfr.ffmpeg.internal;
