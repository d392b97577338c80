package dev.hfr.engine.progress;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.Storage;
import dev.hfr.storage.StorageNotFoundException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * A render's deadline ({@code <prefix>/deadline.json}): written once by its first plan step, the plan's start
 * plus the render timeout. Every step checks it before it runs and a running chunk watches it, so a render that
 * runs out of time ends FAILED with {@link ErrorCode#RENDER_TIMEOUT} (and its webhook gets a {@code timeout} call)
 * in every mode, before Step Functions' own execution timeout, which no step could report, would hit.
 */
@Serdeable
public record RenderDeadline(@JsonProperty("deadlineAt") String deadlineAt, @JsonProperty("timeoutSeconds") long timeoutSeconds) {
    /**
     * The default render timeout: the state machine's {@code TimeoutSeconds} (14400) less one chunk's Lambda timeout
     * (900 s) and a minute, so a chunk that notices the deadline still has time to report it.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(14400 - 900 - 60);

    /** The variable that sets the render timeout (read once, by {@code HfrSettings}). */
    public static final String TIMEOUT_ENV = "HFR_RENDER_TIMEOUT_SECONDS";

    /**
     * The render timeout {@code value} ({@value #TIMEOUT_ENV}) names: a whole number of seconds > 0 (keep it below the
     * state machine's TimeoutSeconds), or the default when unset or blank; anything else is INVALID_CONFIG.
     */
    public static Duration timeout(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new RenderException(ErrorCode.INVALID_CONFIG, TIMEOUT_ENV + " is '" + value
                + "': expected a whole number of seconds > 0");
    }

    public Instant at() {
        return Instant.parse(deadlineAt);
    }

    /** Writes the deadline {@code timeout} from now unless one exists (a retried plan keeps the first). */
    static void start(Storage storage, String prefix, Duration timeout) {
        RenderDeadline d = new RenderDeadline(Instant.now().plus(timeout).toString(), timeout.toSeconds());
        try {
            storage.writeIfAbsent(StorageUri.parse(RenderKeys.deadline(prefix)), ObjectMapper.getDefault().writeValueAsBytes(d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The render's deadline, or null when it has none (planned before deadlines existed, or no plan step ran). */
    static @Nullable RenderDeadline read(Storage storage, String prefix) {
        try {
            return ObjectMapper.getDefault().readValue(storage.read(StorageUri.parse(RenderKeys.deadline(prefix))), RenderDeadline.class);
        } catch (StorageNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean passed() {
        return Instant.now().isAfter(at());
    }

    RenderException exceeded(String prefix, String step) {
        return new RenderException(ErrorCode.RENDER_TIMEOUT, "the render at " + prefix + " ran past its deadline "
                + deadlineAt + " (" + timeoutSeconds + " s after its plan started): its " + step
                + " step stopped or did not start, and no output will be published");
    }
}
