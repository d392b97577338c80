package dev.hfr.browser.internal;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrowserSandboxTest {
    private static BrowserSandbox decide(Map<String, String> env, long uid, String maxNs, String clone, boolean setpriv,
                                         boolean reachable) {
        return BrowserSandbox.decide(env::get, uid, maxNs, clone, setpriv, reachable);
    }

    @Test
    void rootWithUserNamespacesDropsToNobodyWithTheSandboxOn() {
        BrowserSandbox s = decide(Map.of(), 0, "96365", null, true, true);
        assertTrue(s.sandboxed());
        assertEquals(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"), s.launcher());
        assertEquals(List.of("--disable-setuid-sandbox"), s.flags());
    }

    @Test
    void noSandboxWhereItCannotWorkEachWithItsReason() {
        BrowserSandbox lambda = decide(Map.of("AWS_LAMBDA_FUNCTION_NAME", "hfr-render-chunk"), 0, "96365", null, true, true);
        assertFalse(lambda.sandboxed());
        assertTrue(lambda.reason().contains("Lambda"), lambda.reason());
        assertEquals(List.of(), lambda.launcher());
        assertEquals(List.of("--no-sandbox", "--disable-setuid-sandbox"), lambda.flags());
        assertTrue(decide(Map.of(), 0, "0", null, true, true).reason().contains("max_user_namespaces=0"));
        assertTrue(decide(Map.of(), 0, "100", "0", true, true).reason().contains("unprivileged_userns_clone=0"));
        assertTrue(decide(Map.of(), 0, "100", "1", false, true).reason().contains("setpriv"));
        assertTrue(decide(Map.of(), 0, "100", "1", true, false).reason().contains("other users cannot enter"));
        assertFalse(decide(Map.of(), 1000, "100", "1", true, true).sandboxed(), "a non-root JVM is unchanged");
    }

    @Test
    void theEnvironmentOptsOutAndRejectsUnknownValues() {
        BrowserSandbox off = decide(Map.of("HFR_BROWSER_SANDBOX", "off"), 0, "96365", null, true, true);
        assertFalse(off.sandboxed());
        assertTrue(decide(Map.of("HFR_BROWSER_SANDBOX", "AUTO"), 0, "96365", null, true, true).sandboxed());
        RenderException e = assertThrows(RenderException.class,
                () -> decide(Map.of("HFR_BROWSER_SANDBOX", "yes"), 0, "96365", null, true, true));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("HFR_BROWSER_SANDBOX"), e.getMessage());
    }
}
