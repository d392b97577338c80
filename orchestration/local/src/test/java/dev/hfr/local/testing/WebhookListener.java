package dev.hfr.local.testing;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.serde.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A webhook receiver on 127.0.0.1 for the end-to-end tests: records every call with its arrival time, checks
 * {@code X-Hfr-Signature} against the secret the way docs/operating.md tells receivers to, and answers 503 to the
 * first {@code failFirst} calls (then 200). Stops when closed.
 */
public final class WebhookListener implements AutoCloseable {
    /** One call as received. */
    public record Call(long atNanos, String signature, boolean signatureValid, String status, String renderIdHeader,
                       int answered, Map<String, Object> body) {
    }

    private final HttpServer server;
    private final String secret;
    private final AtomicInteger failFirst;
    public final List<Call> calls = new CopyOnWriteArrayList<>();

    public WebhookListener(String secret, int failFirst) throws IOException {
        this.secret = secret;
        this.failFirst = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String sig = ex.getRequestHeaders().getFirst("X-Hfr-Signature");
            int answer = this.failFirst.getAndDecrement() > 0 ? 503 : 200;
            @SuppressWarnings("unchecked")
            Map<String, Object> json = ObjectMapper.getDefault().readValue(body, Map.class);
            calls.add(new Call(System.nanoTime(), sig, valid(body, sig), ex.getRequestHeaders().getFirst("X-Hfr-Status"),
                    ex.getRequestHeaders().getFirst("X-Hfr-Render-Id"), answer, json));
            ex.sendResponseHeaders(answer, -1);
            ex.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The workflow input's Webhook object for this listener. */
    public String webhookJson(String customDataJson) {
        return "{\"Url\":\"" + url() + "\",\"Secret\":\"" + secret + "\",\"CustomData\":" + customDataJson + "}";
    }

    /** Waits (bounded) until {@code n} calls arrived; returns them. */
    public List<Call> await(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (calls.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("webhook got " + calls.size() + " of " + n + " calls within " + timeout + ": " + calls);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return List.copyOf(calls);
    }

    private boolean valid(byte[] body, String header) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            String expected = "sha512=" + HexFormat.of().formatHex(mac.doFinal(body));
            return header != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    header.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
