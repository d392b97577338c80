package dev.hfr.engine.webhook;

import dev.hfr.engine.EngineVersion;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PriceTable;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderCost;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import dev.hfr.model.Webhook;
import dev.hfr.storage.Storage;
import dev.hfr.storage.StorageNotFoundException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells a render's webhook how it ended: the plan step stores the workflow input's {@code Webhook} at
 * {@code <prefix>/webhook.json}; the step whose update made the render SUCCEEDED or FAILED (exactly one writer
 * makes that transition) sends one call: {@code success}, {@code timeout} (the failure is a TIMEOUT) or
 * {@code error}. A cancelled render sends none: the canceller already knows. Delivery never fails the step; its
 * outcome is one structured log line.
 */
public final class WebhookNotifier {
    private final Storage storage;
    private final WebhookSender sender;

    public WebhookNotifier(Storage storage, WebhookSender sender) {
        this.storage = storage;
        this.sender = sender;
    }

    public static WebhookNotifier standard(Storage storage) {
        return new WebhookNotifier(storage, WebhookSender.standard(EngineVersion.VALUE));
    }

    /** Stores the render's webhook (first writer wins, so a retried plan cannot re-point it). */
    public void remember(String prefix, Webhook webhook) {
        try {
            storage.writeIfAbsent(StorageUri.parse(RenderKeys.webhook(prefix)), ObjectMapper.getDefault().writeValueAsBytes(webhook));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The stored webhook, or null when the render has none. */
    public @Nullable Webhook stored(String prefix) {
        try {
            return ObjectMapper.getDefault().readValue(storage.read(StorageUri.parse(RenderKeys.webhook(prefix))), Webhook.class);
        } catch (StorageNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends the end of {@code doc} to the render's webhook, if it has one and the render ended. */
    public @Nullable WebhookSender.Delivery notifyEnd(String prefix, ProgressDocument doc, @Nullable Webhook known) {
        if (doc.status() != ProgressDocument.Status.SUCCEEDED && doc.status() != ProgressDocument.Status.FAILED) {
            return null;
        }
        Webhook hook = known != null ? known : stored(prefix);
        if (hook == null) {
            return null;
        }
        WebhookPayload payload = payload(doc, hook);
        WebhookSender.Delivery d = sender.send(hook, payload);
        log(doc, hook, payload.type(), d);
        return d;
    }

    static WebhookPayload payload(ProgressDocument doc, Webhook hook) {
        String type = doc.status() == ProgressDocument.Status.SUCCEEDED ? WebhookPayload.SUCCESS
                : doc.failure() != null && (ErrorCode.TIMEOUT.name().equals(doc.failure().code())
                        || ErrorCode.RENDER_TIMEOUT.name().equals(doc.failure().code())) ? WebhookPayload.TIMEOUT
                : WebhookPayload.ERROR;
        List<WebhookPayload.Error> errors = doc.errors().stream()
                .map(e -> new WebhookPayload.Error(e.code(), e.message(), e.step(), e.chunk())).toList();
        String region = System.getenv("AWS_REGION");
        Double cost = doc.usage().isEmpty() ? null
                : RenderCost.of(PriceTable.forRegion(region == null ? "us-east-1" : region), doc.usage(), 0, 0).totalUsd();
        return new WebhookPayload(type, doc.renderId() == null ? "" : doc.renderId(),
                doc.status() == ProgressDocument.Status.SUCCEEDED ? doc.outputUri() : null,
                doc.framesDone(), doc.timingsMs(), cost, errors, hook.customData());
    }

    private static void log(ProgressDocument doc, Webhook hook, String type, WebhookSender.Delivery d) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", Instant.now().toString());
        line.put("event", d.delivered() ? "webhook_delivered" : "webhook_failed");
        if (doc.renderId() != null) {
            line.put("renderId", doc.renderId());
        }
        line.put("type", type);
        line.put("host", java.net.URI.create(hook.url()).getHost());
        line.put("attempts", d.attempts());
        line.put("status", d.lastStatus());
        if (d.error() != null) {
            line.put("error", d.error());
        }
        try {
            System.err.println(ObjectMapper.getDefault().writeValueAsString(line));
        } catch (IOException e) {
            System.err.println(line);
        }
    }
}
