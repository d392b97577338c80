package dev.hfr.engine.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hfr.model.Webhook;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real HTTP listener on 127.0.0.1 that checks every call's signature as a receiver would. */
class WebhookSenderTest {
    private static final String SECRET = "s3cr3t-\u00e9";

    record Received(byte[] body, String signature, String status, String path, boolean signatureValid) {
    }

    private HttpServer server;
    private final Deque<Integer> answers = new ConcurrentLinkedDeque<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String sig = exchange.getRequestHeaders().getFirst("X-Hfr-Signature");
            received.add(new Received(body, sig, exchange.getRequestHeaders().getFirst("X-Hfr-Status"),
                    exchange.getRequestURI().getPath(), independentlyVerified(body, sig)));
            Integer answer = answers.poll();
            int code = answer == null ? 204 : answer;
            if (code == 302) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/elsewhere");
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private WebhookSender sender() {
        return new WebhookSender(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), Duration.ofSeconds(5), waits::add, "hfr/test");
    }

    private static WebhookPayload payload() {
        return new WebhookPayload(WebhookPayload.SUCCESS, "r-42", "s3://bucket/out/video.mp4", 120,
                Map.of("plan", 900L, "render", 4200L), 0.0123,
                List.of(), Map.of("job", "abc", "n", 7));
    }

    /** The receiver's side, written without WebhookSignature: the documented Java snippet. */
    private static boolean independentlyVerified(byte[] body, String header) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            StringBuilder hex = new StringBuilder("sha512=");
            for (byte b : mac.doFinal(body)) {
                hex.append(String.format("%02x", b));
            }
            return java.security.MessageDigest.isEqual(hex.toString().getBytes(StandardCharsets.US_ASCII),
                    header == null ? new byte[0] : header.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aSignedCallCarriesThePayloadAndTheCallersCustomData() throws IOException {
        WebhookSender.Delivery d = sender().send(new Webhook(url(), SECRET, Map.of("job", "abc")), payload());
        assertTrue(d.delivered(), d.toString());
        assertEquals(1, d.attempts());
        assertEquals(1, received.size());
        Received r = received.get(0);
        assertTrue(r.signatureValid(), "signature " + r.signature());
        assertEquals("success", r.status());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = ObjectMapper.getDefault().readValue(r.body(), Map.class);
        assertEquals("r-42", body.get("RenderId"));
        assertEquals("s3://bucket/out/video.mp4", body.get("OutputS3Uri"));
        assertEquals("abc", ((Map<?, ?>) body.get("CustomData")).get("job"));
        assertTrue(waits.isEmpty());
    }

    @Test
    void aTamperedBodyOrAnotherSecretDoesNotVerify() {
        byte[] body = WebhookSender.body(payload());
        String sig = WebhookSignature.sign(SECRET, body);
        assertTrue(WebhookSignature.verify(SECRET, body, sig));
        assertFalse(WebhookSignature.verify("other", body, sig));
        byte[] tampered = body.clone();
        tampered[tampered.length - 2] ^= 1;
        assertFalse(WebhookSignature.verify(SECRET, tampered, sig));
        assertFalse(WebhookSignature.verify(SECRET, body, null));
        assertFalse(WebhookSignature.verify(SECRET, body, sig.substring("sha512=".length())));
    }

    @Test
    void theDocumentedOpensslOneLinerPrintsTheSameSignature(@TempDir Path dir) throws Exception {
        byte[] body = WebhookSender.body(payload());
        Path file = Files.write(dir.resolve("body.json"), body);
        // docs/webhooks.md: openssl dgst -sha512 -hmac "$SECRET" -r body.json | cut -d' ' -f1
        Process p = new ProcessBuilder("openssl", "dgst", "-sha512", "-hmac", SECRET, "-r", file.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "openssl did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals(WebhookSignature.sign(SECRET, body), "sha512=" + out.split(" ")[0]);
    }

    @Test
    void aReceiverThatFailsIsRetriedWithBackoffUntilItAnswers() {
        answers.add(503);
        answers.add(429);
        WebhookSender.Delivery d = sender().send(new Webhook(url(), SECRET, null), payload());
        assertTrue(d.delivered(), d.toString());
        assertEquals(3, d.attempts());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
        assertEquals(3, received.size());
        // every attempt carries the same body and signature: a receiver may deduplicate on it
        assertTrue(received.stream().allMatch(Received::signatureValid));
        assertEquals(1, received.stream().map(r -> new String(r.body(), StandardCharsets.UTF_8)).distinct().count());
    }

    @Test
    void retriesEndAfterTheLastBackoffAndReportTheLastAnswer() {
        for (int i = 0; i < 5; i++) {
            answers.add(500);
        }
        WebhookSender.Delivery d = sender().send(new Webhook(url(), SECRET, null), payload());
        assertFalse(d.delivered());
        assertEquals(3, d.attempts());
        assertEquals(500, d.lastStatus());
        assertEquals(3, received.size());
    }

    @Test
    void aRefusalIsNotRetriedAndARedirectIsNotFollowed() {
        answers.add(401);
        WebhookSender.Delivery refused = sender().send(new Webhook(url(), SECRET, null), payload());
        assertFalse(refused.delivered());
        assertEquals(1, refused.attempts());
        assertEquals(401, refused.lastStatus());

        received.clear();
        answers.add(302);
        WebhookSender.Delivery redirected = sender().send(new Webhook(url(), SECRET, null), payload());
        assertFalse(redirected.delivered());
        assertEquals(1, received.size(), "the redirect target must not be called");
        assertEquals("/hook", received.get(0).path());
    }

    @Test
    void anUnreachableReceiverEndsWithoutThrowing() throws IOException {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        WebhookSender.Delivery d = sender().send(new Webhook("http://127.0.0.1:" + port + "/x", SECRET, null), payload());
        assertFalse(d.delivered());
        assertEquals(3, d.attempts());
        assertEquals(0, d.lastStatus());
        assertTrue(d.error() != null && d.error().contains("Connect"), d.error());
    }
}
