/**
 * Benchmark helpers run by {@code bench/run.sh}: compile a fixture offline for the reference CLI, and
 * render locally with per-chunk timings (the same {@code LocalRenderer} and engine options as {@code hf render}).
 */
package dev.hfr.bench;
