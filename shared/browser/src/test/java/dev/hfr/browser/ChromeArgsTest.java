package dev.hfr.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChromeArgsTest {
    private static final Path PROFILE = Path.of("/tmp/hfr-profile");

    @Test
    void defaultsCarryTheBeginFrameFlagsAndNoGlFlags() {
        List<String> args = ChromeArgs.builder().windowSize(1280, 720).userDataDir(PROFILE).build();
        assertTrue(args.containsAll(ChromeArgs.BEGIN_FRAME_FLAGS), args.toString());
        assertTrue(args.containsAll(List.of("--headless", "--no-sandbox", "--force-color-profile=srgb",
                "--font-render-hinting=none", "--hide-scrollbars", "--mute-audio", "--disable-background-networking",
                "--remote-debugging-port=0", "--disable-gpu-compositing", "--window-size=1280,720", "--user-data-dir=/tmp/hfr-profile")), args.toString());
        assertFalse(args.contains("--use-angle=swiftshader"), args.toString());
        assertEquals(args.size(), args.stream().distinct().count(), "no duplicate flags");
    }

    @Test
    void screenshotModeDropsBeginFrameFlagsAndGlFlagsAreOptIn() {
        List<String> args = ChromeArgs.builder().userDataDir(PROFILE).beginFrame(false).swiftShaderGl(true)
                .extra(List.of("--lang=en-US")).build();
        assertFalse(args.contains("--enable-begin-frame-control"), args.toString());
        assertTrue(args.containsAll(ChromeArgs.SWIFTSHADER_GL_FLAGS), args.toString());
        assertEquals("--lang=en-US", args.get(args.size() - 1), "extra args come last so they can override");
    }
}
