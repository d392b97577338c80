package dev.hfr.model;

import java.util.List;
import java.util.stream.Collectors;

/** {@link ErrorCode#INVALID_CONFIG} with every violation found, not just the first. */
public class InvalidConfigException extends RenderException {
    private final List<ConfigViolation> violations;

    public InvalidConfigException(List<ConfigViolation> violations) {
        super(ErrorCode.INVALID_CONFIG, "invalid render config: " + violations.stream()
                .map(ConfigViolation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<ConfigViolation> violations() {
        return violations;
    }
}
