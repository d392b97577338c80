package dev.hfr.browser;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.time.Duration;

/**
 * Waits until the page runtime reports the composition ready (fonts, images, every composition timeline), or
 * fails with the runtime's own code, TIMELINE_NOT_REGISTERED naming the first missing composition, or TIMEOUT.
 * A page on which no script built or registered a timeline and none threw is a static composition.
 */
final class Readiness {
    private Readiness() {
    }

    static void await(PageScript script, Runnable pump, BrowserOptions options, String entryPath, PageErrors errors) {
        long start = System.nanoTime();
        long deadline = start + options.readyTimeout().toNanos();
        long timelineDeadline = 0;
        String phase = "loading";
        while (true) {
            JsonElement v = script.evaluate(
                    "window.__hfr && location.protocol.startsWith('http') ? window.__hfr.readiness() : null");
            if (v != null && v.isJsonObject()) {
                JsonObject st = v.getAsJsonObject();
                phase = st.get("phase").getAsString();
                if (phase.equals("ready")) {
                    return;
                }
                if (phase.equals("error")) {
                    ErrorCode code = ErrorCode.fromName(st.get("code").getAsString());
                    throw new RenderException(code, st.get("message").getAsString() + " in " + entryPath);
                }
                if (phase.equals("timelines")) {
                    long now = System.nanoTime();
                    if (timelineDeadline == 0) {
                        timelineDeadline = now + options.timelineTimeout().toNanos();
                    } else if (now > timelineDeadline) {
                        if (st.has("registered") && st.get("registered").getAsInt() == 0
                                && st.has("built") && st.get("built").getAsInt() == 0 && errors.isEmpty()) {
                            // no script built or registered any timeline and none threw: a static composition
                            // (HyperFrames renders it too); one that built a timeline but never registered it,
                            // registered others but not this id, or threw first, is a bug and stays an error
                            script.evaluate("window.__hfr.acceptStatic()");
                            timelineDeadline = Long.MAX_VALUE;
                        } else {
                            throw timelineMissing(st.getAsJsonArray("missing"), options.timelineTimeout(), errors);
                        }
                    }
                } else {
                    timelineDeadline = 0;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new RenderException(ErrorCode.TIMEOUT, entryPath + " was not ready within "
                        + options.readyTimeout().toSeconds() + " s (still waiting for " + phase + ")"
                        + errors.suffix());
            }
            pump.run();
        }
    }

    private static RenderException timelineMissing(JsonArray missing, Duration timeout, PageErrors errors) {
        JsonObject first = missing.get(0).getAsJsonObject();
        String id = first.get("id").getAsString();
        String element = first.get("element").getAsString();
        String secs = CompositionPage.formatSeconds(timeout);
        String more = missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : "";
        return new RenderException(ErrorCode.TIMELINE_NOT_REGISTERED, "composition '" + id + "' (element " + element
                + ") never registered window.__timelines['" + id + "'] within " + secs + more
                + "; register it synchronously: window.__timelines['" + id + "'] = tl" + errors.suffix());
    }
}
