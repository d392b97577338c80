package dev.hfr.cli;

import dev.hfr.model.ConfigViolation;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.InvalidConfigException;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderCost;
import dev.hfr.model.RenderException;
import dev.hfr.model.Webhook;
import io.micronaut.serde.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code hf cloud}: renders on a deployed stack, named by {@code --stack}: {@code render} (pack, upload, start,
 * follow, download), {@code render-batch}, {@code progress}, {@code cancel}.
 */
@Command(name = "cloud", mixinStandardHelpOptions = true,
        description = "Render on a stack deployed from template.yaml (--stack NAME): render, render-batch, progress, cancel.",
        subcommands = {CloudCommand.Render.class, CloudBatchCommand.class, ProgressCommand.class, CancelCommand.class})
final class CloudCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static StackInfo describe(String stack) {
        try (CloudFormationClient cfn = CloudFormationClient.create()) {
            return StackInfo.describe(cfn, stack);
        }
    }

    /** What the render options give, shared by {@code render} and each line of {@code render-batch}. */
    static Webhook webhook(String url, String secret, String data, String field) {
        if (url == null) {
            if (data != null) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, field + "-data needs " + field + "-url");
            }
            return null;
        }
        String s = secret != null ? secret : Cli.webhookSecret();
        Map<String, Object> custom = null;
        if (data != null) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = ObjectMapper.getDefault().readValue(data, Map.class);
                custom = m;
            } catch (IOException | RuntimeException e) {
                throw new InvalidConfigException(List.of(new ConfigViolation(field + "-data", data, "a JSON object")));
            }
        }
        Webhook w = new Webhook(url, s, custom);
        List<ConfigViolation> v = w.violations("Webhook");
        if (!v.isEmpty()) {
            throw new InvalidConfigException(v);
        }
        return w;
    }

    /** The output format: --format, else the -o name's extension, else mp4; png-sequence cannot be downloaded. */
    static OutputFormat format(String format, String output) {
        OutputFormat f;
        if (format != null) {
            f = OutputFormat.fromWire(format);
            if (f == null) {
                throw new InvalidConfigException(List.of(new ConfigViolation("--format", format, "mp4, webm or mov")));
            }
        } else {
            OutputFormat byName = output == null ? null : OutputFormat.fromFileName(output);
            f = byName == null ? OutputFormat.MP4 : byName;
        }
        if (f == OutputFormat.PNG_SEQUENCE) {
            throw new RenderException(ErrorCode.FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED,
                    "--format png-sequence: a cloud render writes mp4, webm or mov");
        }
        return f;
    }

    /** The summary after a render: the output, its size and frames, the wall clock and the cost. */
    static String summary(ProgressDocument d, String output, long sizeBytes, long millis, RenderCost cost, StackInfo stack) {
        return String.format(Locale.ROOT, "done: %s%n  size %s, %d frames in %d chunks, %.1f s from upload to output"
                        + " (plan %.1f s, render %.1f s summed over chunks, assemble %.1f s)%n  cost: %s%n  %s",
                output, RenderCommand.human(sizeBytes), d.framesDone(), d.chunkCount(), millis / 1000.0,
                d.timingsMs().getOrDefault("plan", 0L) / 1000.0, d.timingsMs().getOrDefault("render", 0L) / 1000.0,
                d.timingsMs().getOrDefault("assemble", 0L) / 1000.0, cost.summary(), stack.memorySummary());
    }

    /**
     * {@code hf cloud render PROJECT --stack NAME}: pack the project (same tree, same bytes), upload it to
     * {@code projects/<sha256>.tar.gz} unless it is there, start the render in the stack's mode, follow it with
     * the {@code hf progress} bar, download the output and print the summary with the cost. Ctrl-C asks whether
     * to cancel or detach (detaches without a terminal). Exit codes as {@code hf progress}; 130 on Ctrl-C.
     */
    @Command(name = "render", mixinStandardHelpOptions = true,
            description = {"Render PROJECT on the stack: pack and upload it (content-addressed), start the render "
                    + "(Step Functions or SQS, as the stack has), show its progress, download the output.",
                    "Ctrl-C: cancel the render or detach (asks on a terminal; detaches otherwise)."})
    static final class Render implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PROJECT", description = "Project directory or .tar.gz.")
        Path project;
        @Mixin
        StackOptions stackOptions = new StackOptions();
        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Local file for the output (default: ./RENDER_ID.mp4); same rules as hf render.")
        Path output;
        @Option(names = "--no-download", description = "Leave the output in the bucket.")
        boolean noDownload;
        @Mixin
        ConfigOptions config = new ConfigOptions();
        @Option(names = "--webhook-url", description = "POST the render's outcome here (signed, see docs/operating.md).")
        String webhookUrl;
        @Option(names = "--webhook-secret", description = "The webhook's HMAC secret (default: $HFR_WEBHOOK_SECRET).")
        String webhookSecret;
        @Option(names = "--webhook-data", paramLabel = "JSON", description = "JSON object sent back as the webhook's CustomData.")
        String webhookData;
        @Mixin
        FollowOptions followOptions = new FollowOptions();

        @Override
        public Integer call() throws InterruptedException {
            PrintStream out = System.out;
            OutputFormat format = format(config.format, output == null ? null : output.toString());
            RenderConfig renderConfig = config.toConfig(format.wireName());
            List<ConfigViolation> violations = new ArrayList<>(renderConfig.validate());
            violations.addAll(config.flagViolations());
            if (output != null && !noDownload) {
                String mismatch = RenderCommand.extensionMismatch(output.toString(), format);
                if (mismatch != null) {
                    violations.add(new ConfigViolation("--output", output.toString(), mismatch));
                }
            }
            if (!violations.isEmpty()) {
                throw new InvalidConfigException(violations);
            }
            Webhook hook = webhook(webhookUrl, webhookSecret, webhookData, "--webhook");
            Duration every = followOptions.every();
            long deadline = followOptions.deadlineNanos();
            if (!Files.exists(project)) {
                throw new RenderException(ErrorCode.PROJECT_NOT_FOUND, "project " + project + " does not exist");
            }
            if (output != null && !noDownload) {
                CloudRun.checkOutput(output, format, project);
            }
            StackInfo s = stackOptions.describe();
            StackInfo.Mode m = stackOptions.mode(s);
            String stack = stackOptions.stack;
            long t0 = System.nanoTime();
            try (CloudRun run = new CloudRun(s, m)) {
                Path tmp = Files.createTempDirectory("hf-cloud-");
                CloudRun.Upload up;
                try {
                    CloudRun.Packed packed = CloudRun.pack(project, tmp);
                    up = run.upload(packed);
                } finally {
                    CloudRun.deleteTree(tmp);
                }
                out.println("project: " + (up.uploaded() ? "uploaded " : "already there ") + up.uri()
                        + " (" + RenderCommand.human(up.size()) + ")");
                CloudRun.Started started = run.start(up.uri(), renderConfig, hook);
                out.println("started: " + started.renderId() + " on stack " + stack + " ("
                        + (started.executionArn() != null ? "Step Functions execution " + started.executionArn()
                        : "SQS request on " + s.requestQueueUrl()) + ")");
                Path target = noDownload ? null : output != null ? output : Path.of(started.renderId() + format.extension());
                if (target != null && output == null) {
                    CloudRun.checkOutput(target, format, project);
                }
                Interrupt interrupt = new Interrupt(run, started, stack, out);
                interrupt.install();
                ProgressDocument end;
                try {
                    end = ProgressCommand.follow(started.target(), run.storage, run::sfn, started::target, every, deadline,
                            false, System.console() != null, interrupt.display, interrupt.detached::get, false);
                } finally {
                    interrupt.uninstall();
                }
                if (interrupt.detached.get()) {
                    return ErrorCode.INTERRUPTED.cliExitCode();
                }
                ProgressCommand.printEnd(out, started.target(), end, run::sfn, false);
                if (!end.status().terminal()) {
                    System.err.println("hf cloud render: " + started.renderId() + " has not ended after " + followOptions.timeout + "; still "
                            + end.status() + " (hf cloud progress " + started.renderId() + " --stack " + stack + ")");
                    return 124;
                }
                if (end.status() != ProgressDocument.Status.SUCCEEDED) {
                    return ProgressCommand.exitCode(end);
                }
                String where = started.outputUri();
                long size = run.storage.size(dev.hfr.model.StorageUri.parse(started.outputUri()));
                if (target != null) {
                    run.download(started.outputUri(), target);
                    where = target.toAbsolutePath().normalize() + " (from " + started.outputUri() + ")";
                }
                RenderCost cost = ProgressCommand.cost(started.target(), end, run::sfn);
                out.println(summary(end, where, size, (System.nanoTime() - t0) / 1_000_000, cost, s));
                return 0;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Ctrl-C while following: on a terminal asks "cancel the render or detach? [c/d]"; without one detaches.
     * Handled as a signal (not a shutdown hook), so the render is cancelled or left running and the command
     * ends normally. While the question is open the progress display is muted.
     */
    static final class Interrupt {
        final AtomicBoolean detached = new AtomicBoolean();
        private final AtomicBoolean muted = new AtomicBoolean();
        final PrintStream display;
        private final CloudRun run;
        private final CloudRun.Started started;
        private final String stack;
        private final PrintStream out;
        private sun.misc.SignalHandler previous;

        Interrupt(CloudRun run, CloudRun.Started started, String stack, PrintStream out) {
            this.run = run;
            this.started = started;
            this.stack = stack;
            this.out = out;
            this.display = new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    if (!muted.get()) {
                        out.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    if (!muted.get()) {
                        out.write(b, off, len);
                    }
                }

                @Override
                public void flush() {
                    out.flush();
                }
            }, true, StandardCharsets.UTF_8);
        }

        void install() {
            try {
                previous = sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> onInterrupt());
            } catch (IllegalArgumentException e) {
                previous = null; // no SIGINT here (the JVM runs with -Xrs): Ctrl-C ends it as usual
            }
        }

        void uninstall() {
            if (previous != null) {
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), previous);
            }
        }

        void onInterrupt() {
            muted.set(true);
            try {
                Console console = System.console();
                String answer = "d";
                if (console != null) {
                    out.println();
                    String line = console.readLine("cancel the render or detach? [c/d] ");
                    answer = line == null ? "d" : line.strip().toLowerCase(Locale.ROOT);
                }
                if (answer.startsWith("c")) {
                    if (run.cancel(started)) {
                        out.println(started.renderId() + ": CANCELLED; no output will be published");
                    } else {
                        out.println("too late to cancel: " + started.renderId() + " is assembling; following it to the end");
                    }
                    return;
                }
                out.println();
                out.println("detached: " + started.renderId() + " goes on rendering on stack " + stack);
                out.println("  follow: hf cloud progress " + started.renderId() + " --stack " + stack);
                out.println("  cancel: hf cloud cancel " + started.renderId() + " --stack " + stack);
                out.println("  output: " + started.outputUri());
                out.flush();
                detached.set(true);
            } catch (RuntimeException e) {
                out.println("hf cloud render: " + RenderException.wrap(e).getMessage());
            } finally {
                muted.set(false);
            }
        }
    }
}
