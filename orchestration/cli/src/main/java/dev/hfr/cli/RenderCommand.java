package dev.hfr.cli;

import dev.hfr.local.LocalRenderRequest;
import dev.hfr.local.LocalRenderSummary;
import dev.hfr.local.LocalRenderer;
import dev.hfr.engine.assemble.LocalOutput;
import dev.hfr.model.ConfigViolation;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.InvalidConfigException;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code hf render PROJECT -o OUT}: plan, render chunks in parallel, assemble — all on this machine. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render a composition to video on this machine (Plan -> RenderChunk x N -> Assemble).")
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PROJECT", description = "Project directory, .tar.gz, or s3:// URI.")
    String project;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "Output file or s3:// URI; the extension picks the format (a directory for png-sequence).")
    String output;
    @Mixin
    ConfigOptions config = new ConfigOptions();
    @Option(names = "--workers", description = "Chunks rendered at once on this machine (default: one per 1.45 cores, what a worker's browser and ffmpeg keep busy; bounded by memory).")
    Integer workers;
    @Option(names = "--work-dir", description = "Where the plan and chunks go (laid out like the S3 prefix).")
    Path workDir;
    @Option(names = "--keep-work-dir", description = "Keep the work directory after a successful render.")
    boolean keepWorkDir;
    @Option(names = "--quiet", description = "No live progress bar: plain progress lines and the summary.")
    boolean quiet;
    @Option(names = "--json", description = "Progress and summary as JSON lines.")
    boolean json;
    @Option(names = "--contact-sheet", description = "Also write OUT.contact.png: a grid of thumbnails of the output.")
    boolean contactSheet;

    @Override
    public Integer call() {
        OutputFormat byExtension = OutputFormat.fromFileName(output);
        String defaultFormat = byExtension != null ? byExtension.wireName() : null;
        if (config.format == null && byExtension == null) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "cannot tell the format from output \"" + output
                    + "\": use .mp4, .webm, .mov, a directory for png-sequence, or --format");
        }
        if (!StorageUri.parse(project).isS3() && !Files.exists(Path.of(project))) {
            throw new RenderException(ErrorCode.PROJECT_NOT_FOUND, "project " + project + " does not exist");
        }
        int workerCount = workers != null ? workers : LocalRenderRequest.defaultWorkers();
        RenderConfig renderConfig = config.toConfig(defaultFormat);
        if (!StorageUri.parse(output).isS3()) {
            // first and before any work: an unsafe output is refused as such, whatever else is wrong
            List<Path> inputs = new ArrayList<>();
            if (!StorageUri.parse(project).isS3()) {
                inputs.add(Path.of(project));
            }
            inputs.add(workDir);
            LocalOutput.check(Path.of(output), renderConfig.outputFormat(), inputs);
        }
        // every bad flag in one message: the config's own rules, the CLI-only flags and the output's name
        List<ConfigViolation> violations = new ArrayList<>(renderConfig.validate());
        violations.addAll(config.flagViolations());
        int maxWorkers = LocalRenderRequest.maxWorkers();
        if (workerCount < 1 || workerCount > maxWorkers) {
            violations.add(new ConfigViolation("--workers", Integer.toString(workerCount), "1.." + maxWorkers
                    + " (" + LocalRenderRequest.maxWorkersReason() + ")"));
        }
        OutputFormat format = renderConfig.outputFormat();
        String mismatch = extensionMismatch(output, format);
        if (mismatch != null) {
            violations.add(new ConfigViolation("--output", output, mismatch));
        }
        if (!violations.isEmpty()) {
            throw new InvalidConfigException(violations);
        }
        renderConfig = LocalRenderer.oneChunkPerWorker(renderConfig, workerCount);
        var request = new LocalRenderRequest(project, absolute(output), renderConfig, workerCount, workDir, keepWorkDir);
        ProgressDisplay progress = ProgressDisplay.create(json, quiet, System.err);
        Interrupt interrupt = new Interrupt(Thread.currentThread(), progress, spec.commandLine().getErr());
        Runtime.getRuntime().addShutdownHook(interrupt.hook);
        LocalRenderSummary summary;
        try {
            summary = new LocalRenderer(Cli.engineOptions()).render(request, progress);
            interrupt.published();
        } catch (RuntimeException e) {
            if (interrupt.requested()) {
                // whatever failed once Ctrl-C arrived (a killed browser, a closed pipe) failed because of it;
                // the hook prints the message (it runs even if this thread is too slow to get here)
                return ErrorCode.INTERRUPTED.cliExitCode();
            }
            throw e;
        } finally {
            progress.finish();
            interrupt.cleanedUp();
            try {
                Runtime.getRuntime().removeShutdownHook(interrupt.hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        if (contactSheet) {
            Path sheet = ContactSheet.write(Path.of(summary.output()), summary.plan().fps(), summary.plan().totalFrames());
            progress.line("contact sheet: " + sheet);
        }
        progress.summary(summary);
        return 0;
    }

    /**
     * Why the output's name does not fit {@code format}, or null when it does: a video format needs its own
     * extension (so {@code --format webm -o x.mp4} cannot write WebM into a .mp4), and a png-sequence folder
     * must not be named like a video file.
     */
    static String extensionMismatch(String out, OutputFormat format) {
        OutputFormat byName = OutputFormat.fromFileName(out);
        if (format == OutputFormat.PNG_SEQUENCE) {
            return byName == null || byName == OutputFormat.PNG_SEQUENCE ? null
                    : "a folder name for --format png-sequence, not a " + byName.extension() + " file name";
        }
        if (byName == format) {
            return null;
        }
        return "a name ending in " + format.extension() + " for --format " + format.wireName()
                + (byName == null || byName == OutputFormat.PNG_SEQUENCE ? "" : " (its extension says " + byName.wireName() + ")");
    }

    static String absolute(String out) {
        if (StorageUri.parse(out).isS3()) {
            return out;
        }
        String abs = Path.of(out).toAbsolutePath().normalize().toString();
        return out.endsWith("/") && !abs.endsWith("/") ? abs : abs;
    }

    /**
     * Ctrl-C during a render. The hook stops the render (interrupts it and kills every process the JVM
     * started, so blocked workers fail at once), waits a bounded time for the render's own cleanup (work
     * directory removed, message printed), then kills what is left. It never joins the main thread: that
     * thread blocks in {@code System.exit} once shutdown has begun, so joining it only waits out the timeout.
     */
    static final class Interrupt {
        private static final long CLEANUP_MILLIS = 1_500;
        private static final long KILL_WAIT_MILLIS = 300;
        final Thread hook;
        private final AtomicBoolean requested = new AtomicBoolean();
        private final CountDownLatch cleaned = new CountDownLatch(1);
        private volatile boolean published;

        Interrupt(Thread main, ProgressDisplay progress, PrintWriter err) {
            this.hook = new Thread(() -> {
                long t0 = System.nanoTime();
                requested.set(true);
                progress.interrupted();
                main.interrupt();
                killDescendants();
                long t1 = System.nanoTime();
                try {
                    cleaned.await(CLEANUP_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long t2 = System.nanoTime();
                killDescendants(); // anything a worker started while stopping
                progress.finish();
                err.println(published ? "hf: interrupted after the output was written" : "hf: interrupted; no output was written");
                if (Cli.debug()) {
                    err.printf("hf: interrupt took %d ms to kill, %d ms to clean up%n", (t1 - t0) / 1_000_000,
                            (t2 - t1) / 1_000_000);
                }
                err.flush();
            }, "hf-interrupt");
        }

        /** The render finished and published its output before (or while) Ctrl-C arrived. */
        void published() {
            published = true;
        }

        boolean requested() {
            return requested.get();
        }

        void cleanedUp() {
            cleaned.countDown();
        }

        private static void killDescendants() {
            dev.hfr.model.ProcessTrees.killAndAwait(ProcessHandle.current().descendants().toList(), KILL_WAIT_MILLIS);
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
