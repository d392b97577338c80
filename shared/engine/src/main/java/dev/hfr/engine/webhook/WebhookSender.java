package dev.hfr.engine.webhook;

import dev.hfr.model.Webhook;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Delivers a {@link WebhookPayload}: one signed POST, retried with backoff while the receiver is unreachable,
 * answers 5xx or 429. A 2xx delivers; any other answer is the receiver's decision and is not retried.
 * Redirects are not followed (a redirect to an internal address must not turn a render into a proxy).
 * A webhook never fails a render: the outcome is returned (and logged by the caller), never thrown.
 */
public final class WebhookSender {
    /** Waits between attempts, so tests can record them instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** What happened: delivered or not, after how many attempts, the last HTTP status (0: no answer). */
    public record Delivery(boolean delivered, int attempts, int lastStatus, @Nullable String error) {
    }

    /** 1 s, 2 s, 4 s, 8 s between five attempts: a receiver restarting within ~15 s still gets the call. */
    public static final List<Duration> DEFAULT_BACKOFF =
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final List<Duration> backoff;
    private final Duration timeout;
    private final Sleeper sleeper;
    private final String userAgent;

    public WebhookSender(List<Duration> backoff, Duration timeout, Sleeper sleeper, String userAgent) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.backoff = List.copyOf(backoff);
        this.timeout = timeout;
        this.sleeper = sleeper;
        this.userAgent = userAgent;
    }

    public static WebhookSender standard(String version) {
        return new WebhookSender(DEFAULT_BACKOFF, DEFAULT_TIMEOUT, d -> Thread.sleep(d), "hfr/" + version);
    }

    public Delivery send(Webhook hook, WebhookPayload payload) {
        byte[] body = body(payload);
        HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .header(WebhookSignature.HEADER, WebhookSignature.sign(hook.secret(), body))
                .header("X-Hfr-Status", payload.type())
                .header("X-Hfr-Render-Id", payload.renderId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int attempts = 0;
        int status = 0;
        String error = null;
        while (true) {
            attempts++;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                error = null;
                if (status >= 200 && status < 300) {
                    return new Delivery(true, attempts, status, null);
                }
                error = "HTTP " + status;
                if (status != 429 && status < 500) {
                    return new Delivery(false, attempts, status, error + " (not retried: the receiver refused it)");
                }
            } catch (IOException e) {
                status = 0;
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery(false, attempts, status, "interrupted");
            }
            if (attempts > backoff.size()) {
                return new Delivery(false, attempts, status, error);
            }
            try {
                sleeper.sleep(backoff.get(attempts - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery(false, attempts, status, "interrupted");
            }
        }
    }

    static byte[] body(WebhookPayload payload) {
        try {
            return ObjectMapper.getDefault().writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
