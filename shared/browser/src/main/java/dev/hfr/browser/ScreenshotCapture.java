package dev.hfr.browser;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import java.util.Base64;

/** The fallback: Page.captureScreenshot of a page that paints on its own (no begin-frame control). */
final class ScreenshotCapture implements FrameCapture {
    private final CDPSession cdp;
    private final int width;
    private final int height;

    ScreenshotCapture(CDPSession cdp, int width, int height) {
        this.cdp = cdp;
        this.width = width;
        this.height = height;
    }

    @Override
    public byte[] capture(String format, int quality) {
        JsonObject p = new JsonObject();
        p.addProperty("format", format);
        if (format.equals("jpeg")) {
            p.addProperty("quality", quality);
        }
        p.addProperty("fromSurface", true);
        p.addProperty("optimizeForSpeed", format.equals("jpeg"));
        JsonObject clip = new JsonObject();
        clip.addProperty("x", 0);
        clip.addProperty("y", 0);
        clip.addProperty("width", width);
        clip.addProperty("height", height);
        clip.addProperty("scale", 1);
        p.add("clip", clip);
        JsonObject r = cdp.send("Page.captureScreenshot", p);
        return Base64.getDecoder().decode(r.get("data").getAsString());
    }

    @Override
    public void pump() {
        // the page paints on its own
    }

    @Override
    public String mode() {
        return "screenshot";
    }

    @Override
    public long framesWithoutDamage() {
        return 0;
    }
}
