package dev.hfr.browser;

/** Internal signal: beginFrame cannot be trusted on this page any more (the page falls back to screenshots). */
final class BeginFrameFailure extends RuntimeException {
    BeginFrameFailure(String message) {
        super(message);
    }
}
