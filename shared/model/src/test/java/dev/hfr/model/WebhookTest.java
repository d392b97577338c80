package dev.hfr.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.serde.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTest {
    @Test
    void readsTheWireNamesAndEchoesCustomData() throws Exception {
        Webhook w = ObjectMapper.getDefault().readValue(
                "{\"Url\":\"https://example.com/h\",\"Secret\":\"k\",\"CustomData\":{\"job\":\"a\",\"n\":[1,2]}}", Webhook.class);
        assertEquals("https://example.com/h", w.url());
        assertEquals("k", w.secret());
        assertEquals("a", w.customData().get("job"));
        assertTrue(w.violations("Webhook").isEmpty());
    }

    @Test
    void everyBrokenRuleIsNamedAtOnce() {
        List<ConfigViolation> v = new Webhook("ftp://example.com/x", "", Map.of("big", "x".repeat(1100))).violations("Webhook");
        assertEquals(List.of("Webhook.Url", "Webhook.Secret", "Webhook.CustomData"), v.stream().map(ConfigViolation::field).toList());
        assertTrue(v.get(2).value().startsWith("11"), v.get(2).toString());
        assertEquals(List.of("Webhook.Url", "Webhook.Secret"),
                new Webhook(null, null, null).violations("Webhook").stream().map(ConfigViolation::field).toList());
        assertEquals("Webhook.Url", new Webhook("https://u:p@example.com/", "k", null).violations("Webhook").get(0).field());
        assertEquals("Webhook.Url", new Webhook("http:///nohost", "k", null).violations("Webhook").get(0).field());
    }

    @Test
    void customDataOfExactlyTheLimitIsAccepted() {
        // {"k":"..."} is 8 bytes of JSON around the value
        Webhook w = new Webhook("https://example.com/", "k", Map.of("k", "x".repeat(Webhook.MAX_CUSTOM_DATA_BYTES - 8)));
        assertTrue(w.violations("Webhook").isEmpty(), w.violations("Webhook").toString());
        Webhook over = new Webhook("https://example.com/", "k", Map.of("k", "x".repeat(Webhook.MAX_CUSTOM_DATA_BYTES - 7)));
        assertFalse(over.violations("Webhook").isEmpty());
    }

    @Test
    void theSecretNeverReachesToString() {
        assertFalse(new Webhook("https://example.com/", "topsecret", null).toString().contains("topsecret"));
    }
}
