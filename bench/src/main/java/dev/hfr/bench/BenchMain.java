package dev.hfr.bench;

import dev.hfr.compile.AssetResolver;
import dev.hfr.compile.CompileOptions;
import dev.hfr.compile.CompiledProject;
import dev.hfr.compile.ProjectCompiler;
import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.HfrSettings;
import dev.hfr.local.LocalRenderRequest;
import dev.hfr.local.LocalRenderSummary;
import dev.hfr.local.LocalRenderer;
import dev.hfr.model.RenderConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code compile PROJECT OUT_DIR}: our offline compile (CDN URLs to cached npm files), the input the
 * reference CLI gets, so both systems render the same HTML. {@code render PROJECT OUT [--workers N]
 * [--crf N] [--quality Q] [--chunk-size N] [--fps N] [--format F]}: a local render (format mp4 unless given;
 * png-sequence writes a folder); prints one JSON line with the summary and
 * every chunk's timings on stdout.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: BenchMain compile PROJECT OUT_DIR | render PROJECT OUT [--workers N] [--crf N] "
                    + "[--quality Q] [--chunk-size N] [--fps N] [--format F]");
            System.exit(2);
        }
        switch (args[0]) {
            case "compile" -> System.out.println(compile(Path.of(args[1]), Path.of(args[2])));
            case "render" -> System.out.println(render(args[1], Path.of(args[2]).toAbsolutePath().toString(),
                    RenderArgs.parse(List.of(args).subList(3, args.length))));
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
        // Playwright's driver threads are not daemons: leave explicitly once the browsers are closed.
        System.exit(0);
    }

    static String compile(Path project, Path outDir) {
        CompiledProject c;
        HfrSettings settings = HfrSettings.fromEnvironment();
        try (AssetResolver resolver = AssetResolver.create(settings.assetCacheDir(), false, settings.npmRegistry())) {
            // the compile hf render's plan runs (a family no web font covers falls back to the machine's, with a
            // warning), so the reference gets the same HTML ours renders
            c = ProjectCompiler.compile(project, CompileOptions.of(LocalRenderer.localDefaults(RenderConfig.empty())),
                    resolver, outDir);
        }
        return Json.object(Map.of("root", c.root().toString(), "entryPath", c.entryPath(), "warnings", c.warnings()));
    }

    static String render(String project, String output, RenderArgs a) {
        long jvmUptimeBeforeEngineMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        EngineOptions options = HfrSettings.fromEnvironment().engineOptions();
        RenderConfig config = RenderConfig.empty().merge(new RenderConfig(a.fps(), null, null, a.format(), null, a.quality(),
                a.crf(), null, a.chunkSize(), null, null, null, null, null, null, null, null, null, null));
        // hf render's chunking, so the bench measures what a user's render does
        config = LocalRenderer.oneChunkPerWorker(config, a.workers());
        long browsersBefore = dev.hfr.browser.internal.ChromiumProcess.started();
        ChunkRecorder recorder = new ChunkRecorder();
        LocalRenderSummary s = new LocalRenderer(options).render(
                new LocalRenderRequest(project, output, config, a.workers(), null, false), recorder);
        Map<String, Object> json = new java.util.LinkedHashMap<>(SummaryJson.of(s, recorder.chunks()));
        json.put("jvmUptimeAtRenderStartMillis", recorder.jvmUptimeAtStartMillis());
        json.put("jvmUptimeBeforeEngineMillis", jvmUptimeBeforeEngineMillis);
        json.put("planStagesStartMillis", recorder.planStages());
        json.put("firstFrameMillis", recorder.firstFrameMillis());
        json.put("browsersStarted", dev.hfr.browser.internal.ChromiumProcess.started() - browsersBefore);
        // what the preset meant, so the bench's preset table reads it instead of repeating EncoderSettings
        dev.hfr.model.EncoderSettings e = dev.hfr.model.EncoderSettings.from(config);
        Map<String, Object> encoder = new java.util.LinkedHashMap<>();
        encoder.put("encoder", e.encoder());
        encoder.put("preset", e.preset());
        encoder.put("crf", e.crf());
        encoder.put("jpegQuality", e.jpegQuality());
        encoder.put("captureFormat", e.captureFormat());
        json.put("encoder", encoder);
        return Json.object(json);
    }
}
