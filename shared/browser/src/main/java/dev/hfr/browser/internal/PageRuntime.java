package dev.hfr.browser.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The hfr page runtime script (resource dev/hfr/browser/hfr-runtime.js) with its configuration prefix. */
public final class PageRuntime {
    private static final String RESOURCE = "/dev/hfr/browser/hfr-runtime.js";
    private static final String SOURCE = load();

    private PageRuntime() {
    }

    /** Script to evaluate on every new document, before any page script. */
    public static String script(int fps) {
        return "window.__hfrConfig = {fps: " + fps + "};\n" + SOURCE;
    }

    private static String load() {
        try (InputStream in = PageRuntime.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
