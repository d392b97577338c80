package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Input of the plan step. */
@Serdeable
public record PlanEvent(
        @JsonProperty("Action") @Nullable String action,
        @JsonProperty("ProjectS3Uri") String projectS3Uri,
        @JsonProperty("PlanOutputS3Prefix") String planOutputS3Prefix,
        @JsonProperty("OutputS3Uri") @Nullable String outputS3Uri,
        @JsonProperty("Config") @Nullable RenderConfig config,
        @JsonProperty("RenderId") @Nullable String renderId,
        @JsonProperty("Webhook") @Nullable Webhook webhook) {

    public PlanEvent(@Nullable String action, String projectS3Uri, String planOutputS3Prefix, @Nullable String outputS3Uri,
                     @Nullable RenderConfig config, @Nullable String renderId) {
        this(action, projectS3Uri, planOutputS3Prefix, outputS3Uri, config, renderId, null);
    }
}
