package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class PageErrorsTest {
    @TempDir
    Path tmp;

    private RenderException open(String entry, BrowserOptions options) {
        Path site = TestSites.copy("errors", tmp);
        return assertThrows(RenderException.class,
                () -> CompositionPage.open(options, site, entry, TestSites.W, TestSites.H, 30).close());
    }

    @Test
    void pageWithoutCompositionIsInvalid() {
        RenderException e = open("no-composition.html", TestSites.options());
        assertEquals(ErrorCode.COMPOSITION_INVALID, e.code());
        assertEquals("no element with data-composition-id in no-composition.html", e.getMessage());
    }

    @Test
    void emptyTimelineHasZeroDuration() {
        RenderException e = open("zero-duration.html", TestSites.options());
        assertEquals(ErrorCode.COMPOSITION_ZERO_DURATION, e.code());
        assertTrue(e.getMessage().startsWith("composition 'main' (element #root) in zero-duration.html has duration 0"),
                e.getMessage());
    }

    @Test
    void unregisteredTimelineFailsAfterTheBoundedWait() {
        BrowserOptions options = BrowserOptions.defaults().withTimeouts(Duration.ofSeconds(90), Duration.ofSeconds(1));
        long start = System.nanoTime();
        RenderException e = open("never-registered.html", options);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorCode.TIMELINE_NOT_REGISTERED, e.code());
        assertEquals("composition 'intro' (element #stage) never registered window.__timelines['intro'] within 1 s; "
                + "register it synchronously: window.__timelines['intro'] = tl", e.getMessage());
        // browser start + 1 s of polling, not the 90 s ready timeout (generous: browser start on a loaded 2-core
        // machine has taken 13 s)
        assertTrue(millis < 45_000, "took " + millis + " ms: the 1 s timeline wait was not what ended it");
    }

    @Test
    void scriptThatThrowsBeforeRegisteringIsNamedWithFileAndLine() {
        BrowserOptions options = BrowserOptions.defaults().withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(1));
        RenderException e = open("throws.html", options);
        assertEquals(ErrorCode.TIMELINE_NOT_REGISTERED, e.code());
        assertTrue(e.getMessage().startsWith("composition 'intro' (element #stage) never registered"
                + " window.__timelines['intro'] within 1 s; register it synchronously: window.__timelines['intro'] = tl;"
                + " the page threw: TypeError: Cannot read properties of undefined (reading 'duration') (setup.js:3:"),
                e.getMessage());
    }

    @Test
    void relativeStartNamingAnUnknownClipIsInvalid() {
        RenderException e = open("bad-start.html", TestSites.options());
        assertEquals(ErrorCode.COMPOSITION_INVALID, e.code());
        assertEquals("#b has data-start=\"outro + 0.5\" but no clip with id \"outro\" exists in the same composition"
                + " in bad-start.html", e.getMessage());
    }

    @Test
    void missingEntryFile() {
        RenderException e = open("nope.html", TestSites.options());
        assertEquals(ErrorCode.ENTRY_FILE_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("nope.html"), e.getMessage());
    }

    @Test
    void missingExecutableIsBrowserUnavailable() {
        RenderException e = open("zero-duration.html",
                TestSites.options().withExecutable(tmp.resolve("no-such-chromium")));
        assertEquals(ErrorCode.BROWSER_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("no-such-chromium"), e.getMessage());
    }
}
