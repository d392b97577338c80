package dev.hfr.sqs.internal;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * VisibilityTimeout and the RedrivePolicy's maxReceiveCount of each queue, read once per process: they
 * are the deployed truth the heartbeat and the "last attempt" decision must agree with.
 */
public final class QueueAttributes {
    /** @param maxReceiveCount 0 when the queue has no redrive policy */
    public record Info(int visibilitySeconds, int maxReceiveCount) {
    }

    private final SqsClient sqs;
    private final int defaultVisibilitySeconds;
    private final int defaultMaxReceiveCount;
    private final Map<String, Info> cache = new ConcurrentHashMap<>();

    public QueueAttributes(SqsClient sqs, int defaultVisibilitySeconds, int defaultMaxReceiveCount) {
        this.sqs = sqs;
        this.defaultVisibilitySeconds = defaultVisibilitySeconds;
        this.defaultMaxReceiveCount = defaultMaxReceiveCount;
    }

    public Info of(String queueUrl) {
        Info cached = cache.get(queueUrl);
        if (cached != null) {
            return cached;
        }
        Info info;
        try {
            GetQueueAttributesResponse r = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY));
            String vis = r.attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
            String redrive = r.attributes().get(QueueAttributeName.REDRIVE_POLICY);
            info = new Info(vis == null ? defaultVisibilitySeconds : Integer.parseInt(vis.trim()), maxReceiveCount(redrive));
        } catch (RuntimeException e) {
            // No permission or no network: fall back and try again next time rather than caching a guess.
            return new Info(defaultVisibilitySeconds, defaultMaxReceiveCount);
        }
        cache.put(queueUrl, info);
        return info;
    }

    private int maxReceiveCount(String redrivePolicy) {
        if (redrivePolicy == null || redrivePolicy.isBlank()) {
            return defaultMaxReceiveCount;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.read(redrivePolicy, Map.class, "RedrivePolicy");
            Object v = m.get("maxReceiveCount");
            return v == null ? defaultMaxReceiveCount : Integer.parseInt(String.valueOf(v).trim());
        } catch (RuntimeException e) {
            return defaultMaxReceiveCount;
        }
    }
}
