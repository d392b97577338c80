package dev.hfr.browser;

/** How a page's viewport becomes an image once the page has been seeked: one of two strategies. */
sealed interface FrameCapture permits BeginFrameCapture, ScreenshotCapture {
    /**
     * The viewport as {@code format} ("jpeg" or "png"). The array is the caller's: it may be kept or changed.
     *
     * @throws BeginFrameFailure when begin-frame capture cannot be trusted on this page any more
     */
    byte[] capture(String format, int quality);

    /** Lets the page run its pipeline once while we poll it (a begin-frame page paints only when told to). */
    void pump();

    /** "beginframe" or "screenshot". */
    String mode();

    /** Frames for which the browser reported no damage, so the previous picture was sent again. */
    long framesWithoutDamage();

    /** Releases what the capture holds besides the page (a DevTools connection of its own). */
    default void close() {
    }
}
