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
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

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
    @Mixin
    FollowOptions followOptions = new FollowOptions();

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
            ProgressDocument end = follow(t, storage, targetOptions::sfn, () -> targetOptions.resolve(storage), followOptions.every(),
                    followOptions.deadlineNanos(), once, System.console() != null, out);
            if (!once && !end.status().terminal()) {
                System.err.println("hf progress: " + t.label() + " has not ended after " + followOptions.timeout + "; still " + end.status());
                return 124;
            }
            return exitCode(end);
        } finally {
            targetOptions.close();
        }
    }

    /**
     * Follows {@code t} until its render ends, as {@code hf progress} shows it: the bar redrawn in place on a
     * terminal, a line per change otherwise, then the output / failure / cost lines. Returns the final document
     * (the first one with {@code once}), or the last one, not final, when {@code deadlineNanos} passed first. {@code reResolve}
     * looks a target without a prefix up again (an SQS request still on the queue).
     */
    static ProgressDocument follow(RenderTarget t, Storage storage, Supplier<SfnClient> sfn, Supplier<RenderTarget> reResolve,
                                   Duration every, long deadlineNanos, boolean once, boolean tty, PrintStream out)
            throws InterruptedException {
        return follow(t, storage, sfn, reResolve, every, deadlineNanos, once, tty, out, () -> false, true);
    }

    /**
     * As above; {@code stop} ends the wait early (returning the last document), and {@code endLines} false leaves
     * the output / failure / cost lines to the caller.
     */
    static ProgressDocument follow(RenderTarget t, Storage storage, Supplier<SfnClient> sfn, Supplier<RenderTarget> reResolve,
                                   Duration every, long deadlineNanos, boolean once, boolean tty, PrintStream out,
                                   java.util.function.BooleanSupplier stop, boolean endLines) throws InterruptedException {
        String last = null;
        while (true) {
            if (t.prefix() == null) {
                t = reResolve.get();
            }
            ProgressDocument doc = t.read(storage, sfn);
            String line = line(t.label(), doc);
            if (once) {
                out.println(line);
                if (endLines) {
                    printEnd(out, t, doc, sfn);
                }
                return doc;
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
                if (endLines) {
                    printEnd(out, t, doc, sfn);
                }
                return doc;
            }
            if (System.nanoTime() > deadlineNanos || stop.getAsBoolean()) {
                if (tty) {
                    out.println();
                }
                return doc;
            }
            long wake = System.nanoTime() + every.toNanos();
            while (System.nanoTime() < wake && !stop.getAsBoolean()) {
                Thread.sleep(Math.min(100, Math.max(1, (wake - System.nanoTime()) / 1_000_000)));
            }
        }
    }

    /** What --json prints: the document and the cost computed from it. */
    @io.micronaut.serde.annotation.Serdeable
    record Report(ProgressDocument progress, RenderCost cost) {
    }

    private RenderCost cost(RenderTarget t, ProgressDocument doc) {
        return cost(t, doc, targetOptions::sfn);
    }

    /** The render's cost so far: its billed Lambda usage and, under Step Functions, the state transitions. */
    static RenderCost cost(RenderTarget t, ProgressDocument doc, Supplier<SfnClient> sfn) {
        String region = System.getenv("AWS_REGION") != null ? System.getenv("AWS_REGION") : System.getenv("AWS_DEFAULT_REGION");
        long transitions = t.executionArn() == null ? 0 : t.stateTransitions(sfn.get());
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

    static void printEnd(PrintStream out, RenderTarget t, ProgressDocument d, Supplier<SfnClient> sfn) {
        printEnd(out, t, d, sfn, true);
    }

    /** The lines after the bar: the output, the failure with its docs pointer, and (with {@code withCost}) the cost. */
    static void printEnd(PrintStream out, RenderTarget t, ProgressDocument d, Supplier<SfnClient> sfn, boolean withCost) {
        if (d.outputUri() != null && d.status() == ProgressDocument.Status.SUCCEEDED) {
            out.println("output: " + d.outputUri());
        }
        if (d.failure() != null) {
            ErrorCode code = ErrorCode.fromName(d.failure().code());
            out.println("failed in " + d.failure().step() + (d.failure().chunk() != null ? " (chunk " + d.failure().chunk() + ")" : "")
                    + ": " + d.failure().code() + ": " + code.withDocsPointer(d.failure().message()));
        }
        if (withCost && d.status().terminal() && (d.usage().invocations() > 0 || t.executionArn() != null)) {
            out.println("cost: " + cost(t, d, sfn).summary());
        }
    }

    static int exitCode(ProgressDocument d) {
        return switch (d.status()) {
            case FAILED -> 3;
            case CANCELLED -> 130;
            default -> 0;
        };
    }
}
