package dev.hfr.cli;

import dev.hfr.engine.Engines;
import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.function.runtime.LambdaEnvelope;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.RenderChunkEvent;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.Step;
import io.micronaut.serde.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code hf plan|render-chunk|assemble}: run one step on local or S3 URIs with the same event JSON the
 * Lambda functions take, so a failing cloud chunk can be reproduced on a laptop. The result JSON goes
 * to stdout.
 */
final class StepCommands {
    private static final ObjectMapper OBJECT_MAPPER = ObjectMapper.getDefault();

    private StepCommands() {
    }

    static int run(Step step, Path eventFile, Object event) throws IOException {
        String json = eventFile != null ? readEvent(eventFile) : OBJECT_MAPPER.writeValueAsString(event);
        StepDispatcher d = Engines.create(Cli.engineOptions()).dispatcher();
        System.out.println(d.dispatch(step, json));
        return 0;
    }

    /**
     * The event file as the step's Lambda function reads it: bare, or in the {@code Payload}/{@code Input}
     * envelope Step Functions and the console send, which {@link LambdaEnvelope} removes.
     */
    private static String readEvent(Path eventFile) throws IOException {
        return new LambdaEnvelope().unwrap(Files.readString(eventFile), "--event " + eventFile);
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
            PlanEvent e = null;
            if (event == null) {
                need(project, "--project and --prefix");
                need(prefix, "--prefix");
                e = new PlanEvent(Step.PLAN.wireName(), project, prefix, null, config.toConfig("mp4"), null);
            }
            return run(Step.PLAN, event, e);
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
            RenderChunkEvent e = null;
            if (event == null) {
                need(manifest, "--manifest, --plan-hash and --chunk");
                need(planHash, "--plan-hash");
                need(chunk, "--chunk");
                e = new RenderChunkEvent(Step.RENDER_CHUNK.wireName(), manifest, planHash, chunk,
                        outPrefix != null ? outPrefix : RenderKeys.prefixOfManifest(manifest), null, null);
            }
            return run(Step.RENDER_CHUNK, event, e);
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
            AssembleEvent e = null;
            if (event == null) {
                need(manifest, "--manifest, --plan-hash and --output");
                need(planHash, "--plan-hash");
                need(output, "--output");
                e = new AssembleEvent(Step.ASSEMBLE.wireName(), manifest, planHash, null,
                        RenderCommand.absolute(output), null, null);
            }
            return run(Step.ASSEMBLE, event, e);
        }
    }
}
