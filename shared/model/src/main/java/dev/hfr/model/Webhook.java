package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a render reports its end: {@code Webhook: {Url, Secret, CustomData}} in the workflow input. The
 * body of each call is signed with HMAC-SHA512 under {@code Secret}; {@code CustomData} (at most
 * {@value #MAX_CUSTOM_DATA_BYTES} bytes of JSON) is echoed back untouched so the caller can find its own
 * job again.
 */
@Serdeable
public record Webhook(
        @JsonProperty("Url") String url,
        @JsonProperty("Secret") String secret,
        @JsonProperty("CustomData") @Nullable Map<String, Object> customData) {

    public static final int MAX_CUSTOM_DATA_BYTES = 1024;

    /** Every broken rule at once, each naming its field (prefixed by {@code field}, e.g. {@code Webhook}). */
    public List<ConfigViolation> violations(String field) {
        List<ConfigViolation> out = new ArrayList<>();
        if (url == null || url.isBlank()) {
            out.add(new ConfigViolation(field + ".Url", "nothing", "the http(s) URL the render POSTs to"));
        } else {
            try {
                URI u = new URI(url);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!scheme.equals("https") && !scheme.equals("http")) {
                    out.add(new ConfigViolation(field + ".Url", "'" + url + "'", "an http:// or https:// URL"));
                } else if (u.getHost() == null || u.getHost().isEmpty()) {
                    out.add(new ConfigViolation(field + ".Url", "'" + url + "'", "a URL with a host"));
                } else if (u.getUserInfo() != null) {
                    out.add(new ConfigViolation(field + ".Url", "a URL with user:password@", "no credentials in the URL (the body is signed with Secret)"));
                }
            } catch (URISyntaxException e) {
                out.add(new ConfigViolation(field + ".Url", "'" + url + "'", "a URL (" + e.getReason() + ")"));
            }
        }
        if (secret == null || secret.isEmpty()) {
            out.add(new ConfigViolation(field + ".Secret", "nothing", "the key the body's HMAC-SHA512 signature is made with"));
        }
        if (customData != null) {
            int size = customDataBytes();
            if (size > MAX_CUSTOM_DATA_BYTES) {
                out.add(new ConfigViolation(field + ".CustomData", size + " bytes of JSON",
                        "at most " + MAX_CUSTOM_DATA_BYTES + " bytes (it is echoed back in every call)"));
            }
        }
        return List.copyOf(out);
    }

    private int customDataBytes() {
        try {
            return ObjectMapper.getDefault().writeValueAsBytes(customData).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        // The secret never reaches a log line.
        return "Webhook[url=" + url + ", secret=***, customData=" + (customData == null ? "none" : customData.size() + " keys") + "]";
    }
}
