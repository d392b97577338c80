package dev.hfr.cli;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations on the command line: {@code 500ms}, {@code 2s}, {@code 30m}, {@code 1h}. */
final class Durations {
    private static final Pattern P = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    static Duration parse(String option, String value) {
        Matcher m = P.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, option + ": got '" + value
                    + "', expected a duration such as 500ms, 2s, 30m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero()) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, option + ": got '" + value + "', expected more than 0");
        }
        return d;
    }
}
