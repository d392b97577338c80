package dev.hfr.cli;

import dev.hfr.local.LocalRenderRequest;
import dev.hfr.local.LocalRenderSummary;
import dev.hfr.local.LocalRenderer;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code hf render PROJECT -o OUT}: plan, render chunks in parallel, assemble — all on this machine. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render a composition to video on this machine (Plan -> RenderChunk x N -> Assemble).")
final class RenderCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PROJECT", description = "Project directory, .tar.gz, or s3:// URI.")
    String project;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "Output file or s3:// URI; the extension picks the format (a directory for png-sequence).")
    String output;
    @Mixin
    ConfigOptions config = new ConfigOptions();
    @Option(names = "--workers", description = "Chunks rendered at once on this machine (default: cores, bounded by memory).")
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
        if (renderConfig.chunkSize() == null && renderConfig.maxParallelChunks() == null) {
            // on one machine, one chunk per worker: every extra chunk costs an ffmpeg start and an IDR frame,
            // and the workers keep their browsers anyway (the cloud default of 16 suits 16 Lambdas, not 2 cores)
            renderConfig = renderConfig.merge(new RenderConfig(null, null, null, null, null, null, null, null, null,
                    workerCount, null, null, null, null, null, null, null, null, null));
        }
        var request = new LocalRenderRequest(project, absolute(output), renderConfig, workerCount, workDir, keepWorkDir);
        if (request.workers() < 1) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "--workers must be >= 1, got " + request.workers());
        }
        ProgressDisplay progress = ProgressDisplay.create(json, quiet, System.err);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            // Ctrl-C: stop the workers and let the render's finally blocks remove temporary output
            progress.interrupted();
            main.interrupt();
            try {
                main.join(20_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "hf-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        LocalRenderSummary summary;
        try {
            summary = new LocalRenderer(Cli.engineOptions()).render(request, progress);
        } catch (RenderException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new RenderException(ErrorCode.INTERRUPTED, "interrupted");
            }
            throw e;
        } finally {
            progress.finish();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        if (contactSheet) {
            Path sheet = ContactSheet.write(Path.of(summary.output()), summary.plan().totalFrames());
            progress.line("contact sheet: " + sheet);
        }
        progress.summary(summary);
        return 0;
    }

    static String absolute(String out) {
        if (StorageUri.parse(out).isS3()) {
            return out;
        }
        String abs = Path.of(out).toAbsolutePath().normalize().toString();
        return out.endsWith("/") && !abs.endsWith("/") ? abs : abs;
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
