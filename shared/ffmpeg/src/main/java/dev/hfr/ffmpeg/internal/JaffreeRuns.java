package dev.hfr.ffmpeg.internal;

import com.github.kokorin.jaffree.process.JaffreeAbnormalExitException;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Runs a Jaffree ffmpeg/ffprobe execution within a deadline, failures as what ffmpeg said on stderr. */
public final class JaffreeRuns {
    private JaffreeRuns() {
    }

    /** A failed run: the exception and ffmpeg's error lines (or the exception's message when it printed none). */
    public record Failure(RuntimeException cause, String stderr) {
    }

    /** What a run gave: a result, or the failure. */
    public record Outcome<T>(T result, Failure failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Runs {@code execution} (e.g. {@code ffprobe::execute}) on a virtual thread; past {@code timeout} the thread is
     * interrupted, on which Jaffree destroys the process, and {@code timeoutCode} is thrown naming {@code what}.
     */
    public static <T> Outcome<T> run(Supplier<T> execution, Duration timeout, ErrorCode timeoutCode, String what) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread t = Thread.ofVirtual().name("hfr-jaffree").start(() -> {
            try {
                result.set(execution.get());
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        try {
            if (!t.join(timeout)) {
                t.interrupt();
                t.join(Duration.ofSeconds(10));
                throw new RenderException(timeoutCode, what + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while running " + what, e);
        }
        RuntimeException e = failure.get();
        if (e == null) {
            return new Outcome<>(result.get(), null);
        }
        String stderr = e instanceof JaffreeAbnormalExitException abnormal
                ? abnormal.getProcessErrorLogMessages().stream().map(m -> m.message).collect(Collectors.joining("\n"))
                : "";
        return new Outcome<>(null, new Failure(e, stderr.isBlank() ? String.valueOf(e.getMessage()) : stderr));
    }
}
