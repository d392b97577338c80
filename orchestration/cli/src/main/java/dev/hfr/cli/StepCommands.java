package dev.hfr.cli;

import dev.hfr.engine.Engines;
import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hf plan|render-chunk|assemble}: run one step on local or S3 URIs with the same event JSON the
 * Lambda functions take, so a failing cloud chunk can be reproduced on a laptop. The result JSON goes
 * to stdout.
 */
final class StepCommands {
    private StepCommands() {
    }

    static int run(String step, Path eventFile, Map<String, Object> flags) throws IOException {
        String json;
        if (eventFile != null) {
            json = Files.readString(eventFile);
        } else {
            json = io.micronaut.serde.ObjectMapper.getDefault().writeValueAsString(flags);
        }
        StepDispatcher d = Engines.create(Cli.engineOptions()).dispatcher();
        System.out.println(d.dispatch(step, json));
        return 0;
    }

    static void need(Object v, String flag) {
        if (v == null) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "give --event FILE or " + flag);
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Run the plan step (prints the PlanResult JSON).")
    static final class Plan implements Callable<Integer> {
        @Option(names = "--event", description = "Plan event JSON (as the Lambda function takes).")
        Path event;
        @Option(names = "--project", description = "ProjectS3Uri: project directory, .tar.gz or s3:// URI.")
        String project;
        @Option(names = "--prefix", description = "PlanOutputS3Prefix: a local directory or s3:// prefix.")
        String prefix;
        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() throws IOException {
            Map<String, Object> m = new LinkedHashMap<>();
            if (event == null) {
                need(project, "--project and --prefix");
                need(prefix, "--prefix");
                m.put("Action", "plan");
                m.put("ProjectS3Uri", project);
                m.put("PlanOutputS3Prefix", prefix);
                m.put("Config", config.toConfig("mp4"));
            }
            return run(StepDispatcher.PLAN, event, m);
        }
    }

    @Command(name = "render-chunk", mixinStandardHelpOptions = true, description = "Run the render-chunk step (prints the RenderChunkResult JSON).")
    static final class RenderChunk implements Callable<Integer> {
        @Option(names = "--event", description = "RenderChunk event JSON.")
        Path event;
        @Option(names = "--manifest", description = "PlanManifestS3Uri.")
        String manifest;
        @Option(names = "--plan-hash", description = "PlanHash.")
        String planHash;
        @Option(names = "--chunk", description = "ChunkIndex.")
        Integer chunk;
        @Option(names = "--out-prefix", description = "ChunkOutputS3Prefix (default: the plan's prefix).")
        String outPrefix;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> m = new LinkedHashMap<>();
            if (event == null) {
                need(manifest, "--manifest, --plan-hash and --chunk");
                need(planHash, "--plan-hash");
                need(chunk, "--chunk");
                m.put("Action", "renderChunk");
                m.put("PlanManifestS3Uri", manifest);
                m.put("PlanHash", planHash);
                m.put("ChunkIndex", chunk);
                m.put("ChunkOutputS3Prefix", outPrefix != null ? outPrefix : dev.hfr.model.RenderKeys.prefixOfManifest(manifest));
            }
            return run(StepDispatcher.RENDER_CHUNK, event, m);
        }
    }

    @Command(name = "assemble", mixinStandardHelpOptions = true, description = "Run the assemble step (prints the AssembleResult JSON).")
    static final class Assemble implements Callable<Integer> {
        @Option(names = "--event", description = "Assemble event JSON.")
        Path event;
        @Option(names = "--manifest", description = "PlanManifestS3Uri.")
        String manifest;
        @Option(names = "--plan-hash", description = "PlanHash.")
        String planHash;
        @Option(names = {"-o", "--output"}, description = "OutputS3Uri.")
        String output;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> m = new LinkedHashMap<>();
            if (event == null) {
                need(manifest, "--manifest, --plan-hash and --output");
                need(planHash, "--plan-hash");
                need(output, "--output");
                m.put("Action", "assemble");
                m.put("PlanManifestS3Uri", manifest);
                m.put("PlanHash", planHash);
                m.put("OutputS3Uri", RenderCommand.absolute(output));
            }
            return run(StepDispatcher.ASSEMBLE, event, m);
        }
    }
}
