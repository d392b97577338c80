package dev.hfr.ffmpeg.internal;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived ffmpeg/ffprobe command to completion, draining stdout and stderr concurrently. */
public final class ProcessRunner {
    private ProcessRunner() {
    }

    /** What a finished command produced. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, long elapsedMillis) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The last lines of stderr, short enough for an error message. */
        public String stderrTail() {
            return RenderException.tail(stderr, 12);
        }
    }

    /**
     * Runs {@code command}; a non-zero exit is returned, not thrown, so the caller picks the error code.
     * Failing to start, or running past {@code timeout}, throws {@code failureCode}.
     */
    public static Result run(List<String> command, Duration timeout, ErrorCode failureCode) {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new RenderException(failureCode, "cannot start " + command.getFirst() + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child may already have exited; its exit code tells the story
        }
        Drain out = Drain.start(process.getInputStream());
        Drain err = Drain.start(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new RenderException(failureCode, command.getFirst() + " did not finish within "
                        + timeout.toSeconds() + " s: " + String.join(" ", command) + "\n"
                        + RenderException.tail(err.text(), 8));
            }
            return new Result(List.copyOf(command), process.exitValue(), out.text(), err.text(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while running " + command.getFirst(), e);
        }
    }

    /** Reads a stream to its end on a virtual thread so a full pipe never blocks the child. */
    public static final class Drain {
        private final Thread thread;
        private volatile byte[] bytes = new byte[0];

        private Drain(InputStream in) {
            this.thread = Thread.ofVirtual().start(() -> {
                try (in) {
                    bytes = in.readAllBytes();
                } catch (IOException ignored) {
                    // stream closed because the process was destroyed
                }
            });
        }

        public static Drain start(InputStream in) {
            return new Drain(in);
        }

        /** Waits (bounded) for the stream to end and returns what it held. */
        public String text() {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
