package dev.hfr.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChromeArgsTest {
    private static final Path PROFILE = Path.of("/tmp/hfr-profile");
    private static final String SITE = "127.0.0.1:41234";

    @Test
    void defaultsCarryTheBeginFrameFlagsAndNoGlFlags() {
        List<String> args = ChromeArgs.builder().windowSize(1280, 720).userDataDir(PROFILE).siteHostPort(SITE).build();
        assertTrue(args.containsAll(ChromeArgs.BEGIN_FRAME_FLAGS), args.toString());
        assertTrue(args.containsAll(List.of("--headless", "--no-sandbox", "--force-color-profile=srgb",
                "--font-render-hinting=none", "--hide-scrollbars", "--mute-audio", "--disable-background-networking",
                "--remote-debugging-port=0", "--disable-gpu-compositing", "--window-size=1280,720", "--user-data-dir=/tmp/hfr-profile")), args.toString());
        assertFalse(args.contains("--use-angle=swiftshader"), args.toString());
        assertEquals(args.size(), args.stream().distinct().count(), "no duplicate flags");
    }

    @Test
    void theSandboxFlagIsDroppedOnlyWhenTheSandboxIsOn() {
        List<String> on = ChromeArgs.builder().sandbox(true).userDataDir(PROFILE).siteHostPort(SITE).build();
        assertFalse(on.contains("--no-sandbox"), on.toString());
        assertTrue(on.contains("--disable-setuid-sandbox"), on.toString());
        List<String> off = ChromeArgs.builder().sandbox(false).userDataDir(PROFILE).siteHostPort(SITE).build();
        assertTrue(off.contains("--no-sandbox"), off.toString());
    }

    @Test
    void screenshotModeDropsBeginFrameFlagsAndGlFlagsAreOptIn() {
        List<String> args = ChromeArgs.builder().userDataDir(PROFILE).siteHostPort(SITE).beginFrame(false).swiftShaderGl(true)
                .extra(List.of("--lang=en-US")).build();
        assertFalse(args.contains("--enable-begin-frame-control"), args.toString());
        assertTrue(args.containsAll(ChromeArgs.SWIFTSHADER_GL_FLAGS), args.toString());
        assertEquals("--lang=en-US", args.get(args.size() - 1), "extra args come last so they can override");
    }

    @Test
    void everyBrowserCarriesTheNetworkBlockForExactlyItsSiteServer() {
        List<String> args = ChromeArgs.builder().userDataDir(PROFILE).siteHostPort(SITE).build();
        assertTrue(args.containsAll(List.of(
                "--proxy-server=http://hfr-no-network.invalid:1",
                "--proxy-bypass-list=<-loopback>;127.0.0.1:41234",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
                "--webrtc-ip-handling-policy=disable_non_proxied_udp",
                "--disable-quic")), args.toString());
        assertThrows(NullPointerException.class, () -> ChromeArgs.builder().userDataDir(PROFILE).build(),
                "no browser without its network block");
        assertThrows(IllegalArgumentException.class, () -> ChromeArgs.networkBlock("localhost:41234"));
        assertThrows(IllegalArgumentException.class, () -> ChromeArgs.networkBlock("127.0.0.1:1;*"));
    }

    @Test
    void extraArgumentsCannotLiftTheNetworkBlock() {
        for (String arg : List.of("--no-proxy-server", "--proxy-server=direct://", "--proxy-bypass-list=*",
                "--host-resolver-rules=", "--webrtc-ip-handling-policy=default", "--disable-web-security",
                "--remote-debugging-address=0.0.0.0", "--Proxy-Server=x")) {
            RenderException e = assertThrows(RenderException.class, () -> ChromeArgs.builder().userDataDir(PROFILE)
                    .siteHostPort(SITE).extra(List.of(arg)).build(), arg);
            assertEquals(ErrorCode.INVALID_CONFIG, e.code());
            assertTrue(e.getMessage().startsWith("browser argument " + arg + " would weaken"), e.getMessage());
        }
    }
}
