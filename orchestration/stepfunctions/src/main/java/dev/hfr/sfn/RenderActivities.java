package dev.hfr.sfn;

import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.Objects;

/** The three activity ARNs of a state machine built with {@link StateMachineDefinition#forActivities}. */
public record RenderActivities(String planArn, String renderChunkArn, String assembleArn) {
    public RenderActivities {
        Objects.requireNonNull(planArn, "planArn");
        Objects.requireNonNull(renderChunkArn, "renderChunkArn");
        Objects.requireNonNull(assembleArn, "assembleArn");
    }

    /** Creates (or finds: CreateActivity is idempotent by name) {@code <prefix>-plan}, {@code -render-chunk}, {@code -assemble}. */
    public static RenderActivities create(SfnClient sfn, String namePrefix) {
        return new RenderActivities(
                sfn.createActivity(b -> b.name(namePrefix + "-plan")).activityArn(),
                sfn.createActivity(b -> b.name(namePrefix + "-render-chunk")).activityArn(),
                sfn.createActivity(b -> b.name(namePrefix + "-assemble")).activityArn());
    }

    /** The state machine definition wired to these activities. */
    public String definition(StateMachineDefinition definition) {
        return definition.forActivities(planArn, renderChunkArn, assembleArn);
    }

    public void delete(SfnClient sfn) {
        for (String arn : new String[] {planArn, renderChunkArn, assembleArn}) {
            try {
                sfn.deleteActivity(b -> b.activityArn(arn));
            } catch (RuntimeException e) {
                // best effort: an activity left behind costs nothing
            }
        }
    }
}
