package dev.hfr.browser.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DevTools-protocol connection of our own to one page target, beside Playwright's: the JVM talks to the
 * browser's debugging port directly, so a message (a frame's screenshot: hundreds of KB of base64 at 1080p) does
 * not travel browser → Playwright's Node driver (parse, re-serialise) → JVM.
 *
 * <p>The port is the one the browser already listens on for Playwright ({@code --remote-debugging-port=0
 * --remote-debugging-address=127.0.0.1}, read from the browser's stderr by {@link ChromiumProcess}); this connects
 * to {@code ws://127.0.0.1:PORT/devtools/page/TARGET} without an Origin header (DevTools refuses browser-page
 * origins, and we do not set {@code --remote-allow-origins}). The page itself cannot reach the port: its network
 * goes through the browser's dead proxy, which only the site server's port bypasses ({@code docs/security.md},
 * {@code DevToolsIsolationTest}).
 *
 * <p>Only commands and their replies: no domain is enabled on this connection, so no events arrive (any that do
 * are ignored). One caller at a time is enough for the frame loop, but {@link #send} is safe from any thread.
 */
public final class DevToolsSocket implements AutoCloseable {
    private final HttpClient client;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile String closedBecause;

    /** A command the browser answered with an error (e.g. "Another frame is pending"). */
    public static final class CommandFailed extends RuntimeException {
        public CommandFailed(String message) {
            super(message);
        }
    }

    private DevToolsSocket(HttpClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
    }

    /** The WebSocket URL of page target {@code targetId} on the loopback DevTools port {@code port}. */
    public static URI pageUrl(int port, String targetId) {
        if (port <= 0 || port > 65535 || !targetId.matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("DevTools page target " + targetId + " on port " + port);
        }
        return URI.create("ws://127.0.0.1:" + port + "/devtools/page/" + targetId);
    }

    /** Connects to page target {@code targetId} on 127.0.0.1:{@code port}, waiting at most {@code timeout}. */
    public static DevToolsSocket connect(int port, String targetId, Duration timeout) {
        URI uri = pageUrl(port, targetId);
        Listener listener = new Listener();
        // Runnable::run: the client's selector thread hands each part of a reply to the listener itself. With the
        // default pool every 16 KB part of a screenshot was one more thread wake-up, and on a loaded machine each
        // waits for a core: beginFrame took 0.5-1.8 s at load 20 (0.05-0.2 s through Playwright's one reader thread)
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).executor(Runnable::run).build();
        try {
            WebSocket ws = client.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, listener)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            DevToolsSocket s = new DevToolsSocket(client, ws);
            listener.owner.complete(s);
            return s;
        } catch (InterruptedException e) {
            client.shutdownNow();
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while connecting to " + uri);
        } catch (ExecutionException | TimeoutException e) {
            client.shutdownNow();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "cannot connect to the browser's DevTools page "
                    + uri + ": " + cause, cause);
        }
    }

    /**
     * Sends {@code method} and waits at most {@code timeout} for its result.
     *
     * @throws CommandFailed    when the browser answers with an error
     * @throws TimeoutException when no answer came within {@code timeout} (the command may still be running)
     * @throws RenderException  {@link ErrorCode#BROWSER_CRASHED} when the connection is gone
     */
    public JsonObject send(String method, JsonObject params, Duration timeout) throws TimeoutException {
        int id = nextId.getAndIncrement();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        JsonObject msg = new JsonObject();
        msg.addProperty("id", id);
        msg.addProperty("method", method);
        msg.add("params", params);
        try {
            String gone = closedBecause;
            if (gone != null) {
                throw new RenderException(ErrorCode.BROWSER_CRASHED, "DevTools connection closed: " + gone);
            }
            socket.sendText(msg.toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            JsonObject r = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r.has("error")) {
                JsonObject err = r.getAsJsonObject("error");
                throw new CommandFailed(method + ": " + (err.has("message") ? err.get("message").getAsString() : err));
            }
            return r.has("result") ? r.getAsJsonObject("result") : new JsonObject();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted during " + method);
        } catch (ExecutionException e) {
            throw new RenderException(ErrorCode.BROWSER_CRASHED, "DevTools connection failed during " + method + ": "
                    + e.getCause(), e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    private void fail(String why) {
        closedBecause = why;
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException(why)));
    }

    @Override
    public void close() {
        fail("closed by us");
        socket.abort();
        // its selector thread ends now rather than when the client is collected
        client.shutdownNow();
    }

    /** Reassembles text messages (a screenshot reply arrives in many parts) and completes their command. */
    private static final class Listener implements WebSocket.Listener {
        private final CompletableFuture<DevToolsSocket> owner = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                JsonObject o = JsonParser.parseString(message).getAsJsonObject();
                if (o.has("id")) {
                    // replies come only to commands sent after connect() returned, so the owner is known
                    DevToolsSocket s = owner.join();
                    CompletableFuture<JsonObject> f = s.pending.get(o.get("id").getAsInt());
                    if (f != null) {
                        f.complete(o);
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            owner.thenAccept(s -> s.fail("closed by the browser (" + statusCode + " " + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            owner.thenAccept(s -> s.fail(String.valueOf(error)));
        }
    }
}
