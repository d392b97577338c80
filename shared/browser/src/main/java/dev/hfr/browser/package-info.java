/**
 * Deterministic frame capture of HyperFrames compositions in headless Chromium: {@link
 * dev.hfr.browser.CompositionPage} serves a compiled site on loopback, injects the hfr page runtime
 * (virtual time, seeded randomness, timeline seeking, clip windows, video frame swap) and captures
 * frame n with HeadlessExperimental.beginFrame, falling back to Page.captureScreenshot.
 */
package dev.hfr.browser;
