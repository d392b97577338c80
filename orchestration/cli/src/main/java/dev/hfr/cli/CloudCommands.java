package dev.hfr.cli;

import dev.hfr.engine.Engines;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import dev.hfr.model.WorkflowInput;
import dev.hfr.sfn.ActivityWorker;
import dev.hfr.sfn.RenderActivities;
import dev.hfr.sqs.RenderRequests;
import dev.hfr.sqs.SqsQueues;
import io.micronaut.serde.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Commands that talk to the cloud orchestrators: activity workers, SQS render requests, progress. */
final class CloudCommands {
    private CloudCommands() {
    }

    /** {@code hf worker}: render Step Functions activity tasks on this machine (renders longer than Lambda allows). */
    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = "Poll Step Functions activities and run plan/render-chunk/assemble tasks on this machine.")
    static final class Worker implements Callable<Integer> {
        @Option(names = "--plan-activity", required = true, description = "Activity ARN of the Plan state.")
        String plan;
        @Option(names = "--render-chunk-activity", required = true, description = "Activity ARN of the RenderChunk state.")
        String chunk;
        @Option(names = "--assemble-activity", required = true, description = "Activity ARN of the Assemble state.")
        String assemble;
        @Option(names = "--threads", description = "Chunks rendered at once (default: cores).")
        Integer threads;

        @Override
        public Integer call() throws InterruptedException {
            int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            CountDownLatch stopped = new CountDownLatch(1);
            try (SfnClient sfn = SfnClient.create()) {
                List<ActivityWorker> workers = ActivityWorker.startAll(sfn, new RenderActivities(plan, chunk, assemble),
                        Engines.create(Cli.engineOptions()).dispatcher(), n);
                System.err.println("hf worker: polling 3 activities with " + n + " chunk threads; Ctrl-C to stop");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    ActivityWorker.stopAll(workers);
                    stopped.countDown();
                }));
                stopped.await();
            }
            return 0;
        }
    }

    /** {@code hf submit}: start a render in SQS mode with one message; prints the render id. */
    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Start a render in SQS mode: send the workflow input to the render-requests queue; prints the render id.")
    static final class Submit implements Callable<Integer> {
        @Option(names = "--input", description = "Workflow input JSON (ProjectS3Uri, PlanOutputS3Prefix, OutputS3Uri, Config).")
        Path input;
        @Option(names = "--project", description = "ProjectS3Uri (instead of --input).")
        String project;
        @Option(names = "--prefix", description = "PlanOutputS3Prefix.")
        String prefix;
        @Option(names = {"-o", "--output"}, description = "OutputS3Uri.")
        String output;
        @Option(names = "--queue", description = "Render-requests queue URL (default: $HFR_REQUEST_QUEUE_URL).")
        String queue;
        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() throws IOException {
            WorkflowInput in;
            if (input != null) {
                in = ObjectMapper.getDefault().readValue(Files.readString(input), WorkflowInput.class);
            } else {
                if (project == null || prefix == null || output == null) {
                    throw new RenderException(ErrorCode.INVALID_EVENT, "give --input FILE or --project, --prefix and --output");
                }
                in = new WorkflowInput(project, prefix, output, config.toConfig(null), null, null);
            }
            String url = queue != null ? queue : SqsQueues.fromEnv().urlFor(Step.PLAN);
            try (SqsClient sqs = SqsClient.create()) {
                System.out.println(RenderRequests.send(sqs, url, in));
            }
            return 0;
        }
    }
}
