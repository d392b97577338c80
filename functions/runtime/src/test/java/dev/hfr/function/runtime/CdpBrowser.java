package dev.hfr.function.runtime;

import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: launches a Chromium with {@code --remote-debugging-port=0} the way the notes found to work,
 * waits (with a deadline) for the {@code DevTools listening on} line and talks raw CDP to one page.
 * The sparticuz 153 headless shell hangs on {@code --dump-dom}, so DevTools is the launch check.
 */
final class CdpBrowser implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://([^/\\s]+)/");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Process process;
    private final Path stderr;
    private final String hostPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = ObjectMapper.getDefault();

    private CdpBrowser(Process process, Path stderr, String hostPort) {
        this.process = process;
        this.stderr = stderr;
        this.hostPort = hostPort;
    }

    static CdpBrowser launch(ChromiumInstall install, List<String> args, Path scratch) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(install.executable().toString());
        cmd.addAll(args);
        cmd.add("--remote-debugging-port=0");
        cmd.add("--user-data-dir=" + scratch.resolve("profile"));
        cmd.add("about:blank");
        Path err = scratch.resolve("chromium.stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(install.env());
        Process p = pb.start();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
            Matcher m = LISTENING.matcher(text);
            if (m.find()) {
                return new CdpBrowser(p, err, m.group(1));
            }
            if (!p.isAlive()) {
                throw new AssertionError("chromium exited with " + p.exitValue() + " before DevTools listened:\n" + text);
            }
            try {
                p.onExit().get(50, TimeUnit.MILLISECONDS); // wakes early if the browser dies
            } catch (TimeoutException stillRunning) {
                // keep polling until the deadline
            }
        }
        p.destroyForcibly();
        throw new AssertionError("no DevTools line within " + DEADLINE + ":\n" + Files.readString(err));
    }

    String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + path)).timeout(DEADLINE).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Opens {@code url} in a new tab and returns a CDP session on it. */
    Session open(String url) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/json/new?" + url))
                .PUT(HttpRequest.BodyPublishers.noBody()).timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString()).body();
        @SuppressWarnings("unchecked")
        Map<String, Object> target = json.readValue(body, Map.class);
        Session s = new Session();
        s.ws = http.newWebSocketBuilder().buildAsync(URI.create((String) target.get("webSocketDebuggerUrl")), s)
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        return s;
    }

    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** One page's CDP connection: send a command, wait for its reply. */
    final class Session implements WebSocket.Listener {
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket ws;

        @SuppressWarnings("unchecked")
        Map<String, Object> send(String method, String paramsJson) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
            pending.put(id, reply);
            ws.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}", true);
            Map<String, Object> msg = reply.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            if (msg.containsKey("error")) {
                throw new AssertionError(method + " failed: " + msg.get("error"));
            }
            return (Map<String, Object>) msg.get("result");
        }

        /** Runtime.evaluate returning the value as a string. */
        @SuppressWarnings("unchecked")
        String eval(String expression) throws Exception {
            Map<String, Object> r = send("Runtime.evaluate", "{\"expression\":" + json.writeValueAsString(expression)
                    + ",\"returnByValue\":true,\"awaitPromise\":true}");
            return String.valueOf(((Map<String, Object>) r.get("result")).get("value"));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> msg = json.readValue(partial.toString(), Map.class);
                    if (msg.get("id") instanceof Number n) {
                        CompletableFuture<Map<String, Object>> f = pending.remove(n.intValue());
                        if (f != null) {
                            f.complete(msg);
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
