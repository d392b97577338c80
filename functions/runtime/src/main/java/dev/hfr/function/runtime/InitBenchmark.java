package dev.hfr.function.runtime;

import dev.hfr.engine.Engine;
import dev.hfr.engine.HfrSettings;
import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.RenderChunkResult;
import dev.hfr.model.Step;
import io.micronaut.context.ApplicationContext;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark (not a test) of what a render-chunk container does before and at its first event, in a fresh
 * JVM: Chromium unpack (cold, then the warm skip), ffmpeg/ffprobe unpack from the gzipped ffmpeg layer (cold,
 * then warm; when a layer dir is given), Micronaut context start, the production Engine bean, and
 * the first and second event through a handler. Prints one JSON object; bench/lambda-init.sh runs it.
 *
 * <p>Usage: {@code InitBenchmark <layerDir with *.br> <fresh unpack root> <sample event json> [<dir with
 * ffmpeg.gz, ffprobe.gz>]}; ffmpeg goes to {@code <root>/bin}.
 */
public final class InitBenchmark {
    private InitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long jvmUptimeAtMainMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        Path layer = Path.of(args[0]);
        Path root = Path.of(args[1]);
        String event = Files.readString(Path.of(args[2]));
        StepLog.redirect(new PrintStream(OutputStream.nullOutputStream()));

        SparticuzChromium.Unpacked cold = SparticuzChromium.install(layer, root, null);
        SparticuzChromium.Unpacked warm = SparticuzChromium.install(layer, root, null);
        FfmpegLayer ffmpegCold = null;
        FfmpegLayer ffmpegWarm = null;
        if (args.length > 3) {
            ffmpegCold = FfmpegLayer.install(Path.of(args[3]), root.resolve("bin"));
            ffmpegWarm = FfmpegLayer.install(Path.of(args[3]), root.resolve("bin"));
        }
        // the production Engine below uses the unpacked tools, as the cold start's settings do
        HfrSettings settings = ColdStart.settings(System.getenv(), null, ffmpegWarm);

        long t0 = System.nanoTime();
        ApplicationContext ctx = ApplicationContext.builder().deduceEnvironment(false).singletons(settings).start();
        long contextMillis = (System.nanoTime() - t0) / 1_000_000;

        t0 = System.nanoTime();
        String engineError = null;
        try {
            ctx.getBean(Engine.class);
        } catch (RuntimeException e) {
            engineError = String.valueOf(e.getMessage());
        }
        long engineMillis = (System.nanoTime() - t0) / 1_000_000;

        Engine scripted = new Engine(null, e -> {
            throw new IllegalStateException("plan");
        }, e -> new RenderChunkResult(Step.RENDER_CHUNK.wireName(), e.chunkOutputS3Prefix() + "chunks/00003.mp4", e.chunkIndex(),
                "0".repeat(64), 240, "beginframe", 1), e -> {
            throw new IllegalStateException("assemble");
        });
        StepStreamHandler handler = new StepStreamHandler(Step.RENDER_CHUNK, scripted) {
        };
        t0 = System.nanoTime();
        handler.handle(event);
        long firstEventMicros = (System.nanoTime() - t0) / 1_000;
        t0 = System.nanoTime();
        handler.handle(event);
        long secondEventMicros = (System.nanoTime() - t0) / 1_000;
        ctx.close();

        System.out.println("{\"jvmUptimeAtMainMillis\":" + jvmUptimeAtMainMillis
                + ",\"chromiumUnpackColdMillis\":" + cold.durationMillis()
                + ",\"chromiumUnpackWarmMillis\":" + warm.durationMillis()
                + ",\"ffmpegUnpackColdMillis\":" + (ffmpegCold == null ? "null" : ffmpegCold.durationMillis())
                + ",\"ffmpegUnpackWarmMillis\":" + (ffmpegWarm == null ? "null" : ffmpegWarm.durationMillis())
                + ",\"micronautContextStartMillis\":" + contextMillis
                + ",\"productionEngineMillis\":" + engineMillis
                + ",\"productionEngineError\":" + (engineError == null ? "null" : quote(engineError))
                + ",\"firstEventMicros\":" + firstEventMicros
                + ",\"secondEventMicros\":" + secondEventMicros
                + ",\"javaVersion\":" + quote(System.getProperty("java.version")) + "}");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }
}
