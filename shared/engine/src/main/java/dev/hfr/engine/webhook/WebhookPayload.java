package dev.hfr.engine.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * The body of a webhook call. {@code Type} is {@code success}, {@code error} or {@code timeout};
 * {@code CustomData} is the caller's own object from the workflow input, echoed back.
 */
@Serdeable
public record WebhookPayload(
        @JsonProperty("Type") String type,
        @JsonProperty("RenderId") String renderId,
        @JsonProperty("OutputS3Uri") @Nullable String outputS3Uri,
        @JsonProperty("FramesRendered") @Nullable Integer framesRendered,
        @JsonProperty("TimingsMs") @Nullable Map<String, Long> timingsMs,
        @JsonProperty("CostUsd") @Nullable Double costUsd,
        @JsonProperty("Errors") List<Error> errors,
        @JsonProperty("CustomData") @Nullable Map<String, Object> customData) {

    public static final String SUCCESS = "success";
    public static final String ERROR = "error";
    public static final String TIMEOUT = "timeout";

    public WebhookPayload {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** One failure: its code (a {@code dev.hfr.model.ErrorCode} name), message, step and chunk if any. */
    @Serdeable
    public record Error(
            @JsonProperty("Code") String code,
            @JsonProperty("Message") String message,
            @JsonProperty("Step") @Nullable String step,
            @JsonProperty("Chunk") @Nullable Integer chunk) {
    }
}
