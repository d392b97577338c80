package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Input of a whole render, as a Step Functions execution or one SQS render-request message.
 * Field names are the HyperFrames workflow input's, so the same JSON starts a render in either.
 */
@Serdeable
public record WorkflowInput(
        @JsonProperty("ProjectS3Uri") String projectS3Uri,
        @JsonProperty("PlanOutputS3Prefix") String planOutputS3Prefix,
        @JsonProperty("OutputS3Uri") String outputS3Uri,
        @JsonProperty("Config") @Nullable RenderConfig config,
        @JsonProperty("RenderId") @Nullable String renderId,
        @JsonProperty("PlanProtocol") @Nullable String planProtocol,
        @JsonProperty("Webhook") @Nullable Webhook webhook) {

    public WorkflowInput(String projectS3Uri, String planOutputS3Prefix, String outputS3Uri, @Nullable RenderConfig config,
                         @Nullable String renderId, @Nullable String planProtocol) {
        this(projectS3Uri, planOutputS3Prefix, outputS3Uri, config, renderId, planProtocol, null);
    }

    public PlanEvent toPlanEvent() {
        return new PlanEvent(Step.PLAN.wireName(), projectS3Uri, planOutputS3Prefix, outputS3Uri, config, renderId, webhook);
    }
}
