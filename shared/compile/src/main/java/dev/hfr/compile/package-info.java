/**
 * Turns a HyperFrames project into a self-contained directory a headless browser can render with no
 * network: nested compositions inlined, CDN scripts, Google Fonts and remote media replaced by local
 * copies from the offline asset cache, variables applied, media tagged for the engine.
 *
 * <p>Public API: {@link dev.hfr.compile.AssetResolver}, {@link dev.hfr.compile.ProjectCompiler},
 * {@link dev.hfr.compile.ProjectValidator}. Everything in {@code internal} may change without notice.
 */
package dev.hfr.compile;
