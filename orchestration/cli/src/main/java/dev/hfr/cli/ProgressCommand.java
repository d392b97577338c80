package dev.hfr.cli;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.PriceTable;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderCost;
import dev.hfr.storage.Storage;
import io.micronaut.serde.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hf progress TARGET}: the progress of a render in any mode, read from its progress document. Follows the
 * render with a live bar until it ends (a line per change when stdout is not a terminal); {@code --once} or
 * {@code --json} read it once. Exit: 0 succeeded (or still running with --once), 3 failed, 130 cancelled.
 */
@Command(name = "progress", mixinStandardHelpOptions = true,
        description = "Show a render's progress (any mode): by Step Functions execution ARN, render prefix, or SQS render id.")
final class ProgressCommand implements Callable<Integer> {
    @Mixin
    TargetOptions targetOptions = new TargetOptions();
    @Option(names = "--json", description = "Print the progress document once, as JSON (with the cost so far).")
    boolean json;
    @Option(names = "--once", description = "Print one line and exit instead of following the render.")
    boolean once;
    @Option(names = "--interval", defaultValue = "1s", description = "How often to read while following (default: ${DEFAULT-VALUE}).")
    String interval;
    @Option(names = "--timeout", description = "Stop following after this long (e.g. 30m); exit 124 if the render has not ended.")
    String timeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Storage storage = Cli.storage();
        PrintStream out = System.out;
        try {
            RenderTarget t = targetOptions.resolve(storage);
            if (json) {
                ProgressDocument doc = t.read(storage, targetOptions::sfn);
                out.println(ObjectMapper.getDefault().writeValueAsString(new Report(doc, cost(t, doc))));
                return exitCode(doc);
            }
            Duration every = Durations.parse("--interval", interval);
            long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + Durations.parse("--timeout", timeout).toNanos();
            boolean tty = System.console() != null;
            String last = null;
            while (true) {
                if (t.prefix() == null) {
                    t = targetOptions.resolve(storage);
                }
                ProgressDocument doc = t.read(storage, targetOptions::sfn);
                String line = line(t.label(), doc);
                if (once) {
                    out.println(line);
                    printEnd(out, t, doc);
                    return exitCode(doc);
                }
                if (!line.equals(last)) {
                    if (tty) {
                        out.print("\r\033[2K" + line);
                    } else {
                        out.println(line);
                    }
                    out.flush();
                    last = line;
                }
                if (doc.status().terminal()) {
                    if (tty) {
                        out.println();
                    }
                    printEnd(out, t, doc);
                    return exitCode(doc);
                }
                if (System.nanoTime() > deadline) {
                    if (tty) {
                        out.println();
                    }
                    System.err.println("hf progress: " + t.label() + " has not ended after " + timeout + "; still " + doc.status());
                    return 124;
                }
                Thread.sleep(every.toMillis());
            }
        } finally {
            targetOptions.close();
        }
    }

    /** What --json prints: the document and the cost computed from it. */
    @io.micronaut.serde.annotation.Serdeable
    record Report(ProgressDocument progress, RenderCost cost) {
    }

    private RenderCost cost(RenderTarget t, ProgressDocument doc) {
        String region = System.getenv("AWS_REGION") != null ? System.getenv("AWS_REGION") : System.getenv("AWS_DEFAULT_REGION");
        long transitions = t.executionArn() == null ? 0 : t.stateTransitions(targetOptions.sfn());
        return RenderCost.of(PriceTable.forRegion(region == null ? "us-east-1" : region), doc.usage(), transitions, 0);
    }

    static String line(String label, ProgressDocument d) {
        int width = 24;
        int filled = (int) Math.round(d.fraction() * width);
        StringBuilder sb = new StringBuilder();
        sb.append(label).append(": ").append(d.status()).append(' ')
                .append('[').append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%3d%%", (int) Math.floor(d.fraction() * 100)));
        if (d.framesTotal() > 0) {
            sb.append(String.format(Locale.ROOT, "  frames %d/%d", d.framesDone(), d.framesTotal()));
        }
        if (d.chunkCount() > 0) {
            sb.append(String.format(Locale.ROOT, "  chunks %d/%d", d.chunksDone(), d.chunkCount()));
        }
        long retried = d.errors().stream().filter(ProgressDocument.StepError::retryable).count();
        if (retried > 0) {
            sb.append("  retried ").append(retried);
        }
        return sb.toString();
    }

    private void printEnd(PrintStream out, RenderTarget t, ProgressDocument d) {
        if (d.outputUri() != null && d.status() == ProgressDocument.Status.SUCCEEDED) {
            out.println("output: " + d.outputUri());
        }
        if (d.failure() != null) {
            ErrorCode code = ErrorCode.fromName(d.failure().code());
            out.println("failed in " + d.failure().step() + (d.failure().chunk() != null ? " (chunk " + d.failure().chunk() + ")" : "")
                    + ": " + d.failure().code() + ": " + code.withDocsPointer(d.failure().message()));
        }
        if (d.status().terminal() && (d.usage().invocations() > 0 || t.executionArn() != null)) {
            out.println("cost: " + cost(t, d).summary());
        }
    }

    private static int exitCode(ProgressDocument d) {
        return switch (d.status()) {
            case FAILED -> 3;
            case CANCELLED -> 130;
            default -> 0;
        };
    }
}
