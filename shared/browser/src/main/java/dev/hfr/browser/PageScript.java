package dev.hfr.browser;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runtime.evaluate on the page, returning the JSON value; page errors thrown as "HFR:CODE:msg" keep their code. */
final class PageScript {
    private static final Pattern HFR_ERROR = Pattern.compile("HFR:([A-Z_]+):([^\\n]*)");

    private final CDPSession cdp;
    private final String entryPath;

    PageScript(CDPSession cdp, String entryPath) {
        this.cdp = cdp;
        this.entryPath = entryPath;
    }

    JsonElement evaluate(String expression) {
        return evaluate(expression, false);
    }

    /** Evaluates and waits for the promise the expression returns. */
    JsonElement evaluateAwait(String expression) {
        return evaluate(expression, true);
    }

    private JsonElement evaluate(String expression, boolean awaitPromise) {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        p.addProperty("awaitPromise", awaitPromise);
        JsonObject r = cdp.send("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            JsonObject ex = r.getAsJsonObject("exceptionDetails");
            String text = ex.has("exception") && ex.getAsJsonObject("exception").has("description")
                    ? ex.getAsJsonObject("exception").get("description").getAsString()
                    : ex.get("text").getAsString();
            Matcher m = HFR_ERROR.matcher(text);
            if (m.find()) {
                String msg = m.group(2);
                throw new RenderException(ErrorCode.fromName(m.group(1)), msg + " in " + entryPath);
            }
            throw new RenderException(ErrorCode.CAPTURE_FAILED, "page script failed in " + entryPath + ": "
                    + CompositionPage.firstLine(text));
        }
        JsonObject result = r.getAsJsonObject("result");
        return result.get("value");
    }
}
