package dev.hfr.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The three steps of a render, the one place their names live: {@link #wireName()} is the {@code Action}
 * value of the events and results (HyperFrames' wire names), {@link #cliName()} the {@code hf} subcommand.
 * Every orchestrator (Lambda handlers, the Step Functions activity worker, the SQS consumers, the CLI)
 * switches on this type, never on a string.
 */
public enum Step {
    PLAN("plan", "plan", "Plan"),
    RENDER_CHUNK("renderChunk", "render-chunk", "RenderChunk"),
    ASSEMBLE("assemble", "assemble", "Assemble");

    private final String wireName;
    private final String cliName;
    private final String stateName;

    Step(String wireName, String cliName, String stateName) {
        this.wireName = wireName;
        this.cliName = cliName;
        this.stateName = stateName;
    }

    /** The {@code Action} value on the wire: {@code plan}, {@code renderChunk}, {@code assemble}. */
    public String wireName() {
        return wireName;
    }

    /** The {@code hf} subcommand and function folder name: {@code plan}, {@code render-chunk}, {@code assemble}. */
    public String cliName() {
        return cliName;
    }

    /** The step named by any accepted spelling (wire, CLI or state name), or empty. */
    public static Optional<Step> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values())
                .filter(s -> s.wireName.equals(name) || s.cliName.equals(name) || s.stateName.equals(name))
                .findFirst();
    }

    /**
     * The step named by {@code name}; otherwise {@code INVALID_EVENT} naming {@code field} and the accepted names.
     */
    public static Step parse(String name, String field) {
        return find(name).orElseThrow(() -> new RenderException(ErrorCode.INVALID_EVENT,
                "unknown " + field + " \"" + name + "\": expected plan, renderChunk or assemble"));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
