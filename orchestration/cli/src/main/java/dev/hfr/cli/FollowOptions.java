package dev.hfr.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * How a command follows a render's progress document until the render ends ({@code hf progress}, {@code hf cloud
 * progress}, {@code hf cloud render}): how often it reads, and how long it follows before it gives up with exit
 * 124 (the render goes on).
 */
final class FollowOptions {
    @Option(names = "--interval", defaultValue = "1s", description = "How often to read the progress while following (default: ${DEFAULT-VALUE}).")
    String interval;
    @Option(names = "--timeout", description = "Stop following after this long (e.g. 30m); exit 124 if the render has not ended (it goes on).")
    String timeout;

    /** {@code --interval} as a duration; a malformed one is INVALID_CONFIG naming the option. */
    Duration every() {
        return Durations.parse("--interval", interval);
    }

    /** When following stops, on {@link System#nanoTime()}'s clock from now; without {@code --timeout}, never. */
    long deadlineNanos() {
        return timeout == null ? Long.MAX_VALUE : System.nanoTime() + Durations.parse("--timeout", timeout).toNanos();
    }
}
