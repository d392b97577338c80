package dev.hfr.cli;

import dev.hfr.engine.Engine;
import dev.hfr.engine.Engines;
import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import dev.hfr.model.WorkflowInput;
import dev.hfr.sfn.ActivityWorker;
import dev.hfr.sfn.RenderActivities;
import dev.hfr.sqs.QueuePoller;
import dev.hfr.sqs.RenderRequests;
import dev.hfr.sqs.SqsQueues;
import dev.hfr.sqs.SqsRenderer;
import dev.hfr.sqs.SqsSettings;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Commands that talk to the cloud orchestrators: activity workers, SQS render requests, progress. */
final class CloudCommands {
    private CloudCommands() {
    }

    /**
     * {@code hf worker}: run Step Functions activity tasks and/or SQS step messages on this machine (renders longer
     * than Lambda allows, or a stack deployed with ComputeMode=workers). One {@link StepLog#task} line per task.
     */
    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = {"Run plan/render-chunk/assemble on this machine: poll the Step Functions activities and/or "
                    + "consume the SQS queues given (the stack outputs of ComputeMode=workers name them all).",
                    "Logs one JSON line per task; Ctrl-C finishes the tasks in hand and stops."})
    static final class Worker implements Callable<Integer> {
        @Option(names = "--plan-activity", description = "Activity ARN of the Plan state (output PlanActivityArn).")
        String plan;
        @Option(names = "--render-chunk-activity", description = "Activity ARN of the RenderChunk state (output RenderChunkActivityArn).")
        String chunk;
        @Option(names = "--assemble-activity", description = "Activity ARN of the Assemble state (output AssembleActivityArn).")
        String assemble;
        @Option(names = "--request-queue", description = "SQS render-requests queue URL to consume (output RenderRequestQueueUrl).")
        String requestQueue;
        @Option(names = "--chunk-queue", description = "SQS chunk queue URL to consume (output ChunkQueueUrl).")
        String chunkQueue;
        @Option(names = "--assemble-queue", description = "SQS assemble queue URL to consume (output AssembleQueueUrl).")
        String assembleQueue;
        @Option(names = "--dead-letter-queue", description = "A dead-letter queue URL whose messages mark their render "
                + "FAILED (repeatable; outputs *DeadLetterQueueUrl).")
        List<String> deadLetterQueues = new ArrayList<>();
        @Option(names = "--threads", description = "Chunks rendered at once (default: cores).")
        Integer threads;
        @Option(names = "--stack", paramLabel = "NAME", description = "Take every activity ARN and queue URL (and the "
                + "render bucket) from this CloudFormation stack's outputs; explicit options still win.")
        String stack;

        /** Fills what the options left out from the stack's outputs: its activities, queues and DLQs. */
        void fromStack(StackInfo s) {
            s.activities().ifPresent(a -> {
                plan = plan != null ? plan : a.planArn();
                chunk = chunk != null ? chunk : a.renderChunkArn();
                assemble = assemble != null ? assemble : a.assembleArn();
            });
            s.stepQueues().ifPresent(q -> {
                requestQueue = requestQueue != null ? requestQueue : q.get(0);
                chunkQueue = chunkQueue != null ? chunkQueue : q.get(1);
                assembleQueue = assembleQueue != null ? assembleQueue : q.get(2);
            });
            if (deadLetterQueues.isEmpty()) {
                deadLetterQueues.addAll(s.deadLetterQueues());
            }
        }

        @Override
        public Integer call() throws InterruptedException {
            String bucket = null;
            if (stack != null) {
                StackInfo s;
                try (var cfn = software.amazon.awssdk.services.cloudformation.CloudFormationClient.create()) {
                    s = StackInfo.describe(cfn, stack);
                }
                if (s.activities().isEmpty() && s.stepQueues().isEmpty()) {
                    throw new RenderException(ErrorCode.INVALID_CONFIG, "stack " + stack + " has no activities ("
                            + StackInfo.PLAN_ACTIVITY + ", ...) and no queues (" + StackInfo.REQUEST_QUEUE + ", ...) among its "
                            + "outputs: hf worker runs a stack deployed with ComputeMode=workers or both (it has ComputeMode="
                            + s.computeMode() + ")");
                }
                fromStack(s);
                bucket = s.bucket();
            }
            int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            if (n < 1) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, "--threads must be at least 1, got " + n);
            }
            boolean activities = plan != null || chunk != null || assemble != null;
            if (activities && (plan == null || chunk == null || assemble == null)) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, "give all three of --plan-activity, "
                        + "--render-chunk-activity and --assemble-activity (one state machine needs all three steps)");
            }
            boolean queues = requestQueue != null || chunkQueue != null || assembleQueue != null;
            if (!activities && !queues && deadLetterQueues.isEmpty()) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, "nothing to run: give the three --*-activity ARNs "
                        + "and/or --request-queue, --chunk-queue, --assemble-queue (the stack's outputs)");
            }
            Engine engine = Engines.create(bucket != null ? Cli.engineOptions(Cli.storageFor(bucket)) : Cli.engineOptions());
            CountDownLatch stopped = new CountDownLatch(1);
            List<ActivityWorker> workers = new ArrayList<>();
            List<QueuePoller> pollers = new ArrayList<>();
            try (SfnClient sfn = activities ? SfnClient.create() : null;
                 SqsClient sqs = queues || !deadLetterQueues.isEmpty() ? SqsClient.create() : null) {
                if (activities) {
                    workers.addAll(ActivityWorker.startAll(sfn, new RenderActivities(plan, chunk, assemble),
                            engine.dispatcher(), n));
                }
                if (sqs != null) {
                    SqsRenderer r = new SqsRenderer(engine, sqs, new SqsQueues(requestQueue, chunkQueue, assembleQueue),
                            SqsSettings.defaults());
                    int wait = r.settings().receiveWaitSeconds();
                    if (requestQueue != null) {
                        pollers.add(new QueuePoller(sqs, requestQueue, r.planConsumer(), 1, wait).logEachTask().start());
                    }
                    if (chunkQueue != null) {
                        pollers.add(new QueuePoller(sqs, chunkQueue, r.chunkConsumer(), n, wait).logEachTask().start());
                    }
                    if (assembleQueue != null) {
                        pollers.add(new QueuePoller(sqs, assembleQueue, r.assembleConsumer(), 1, wait).logEachTask().start());
                    }
                    for (String dlq : deadLetterQueues) {
                        pollers.add(new QueuePoller(sqs, dlq, r.dlqConsumer(), 1, wait).logEachTask().start());
                    }
                }
                System.err.println("hf worker: " + (stack != null ? "stack " + stack + ", " : "") + (activities ? "polling 3 activities, " : "") + pollers.size()
                        + " queue(s), " + n + " chunk threads; Ctrl-C to stop");
                Thread hook = new Thread(() -> {
                    System.err.println("hf worker: stopping; finishing the tasks in hand");
                    ActivityWorker.stopAll(workers);
                    pollers.forEach(QueuePoller::requestStop);
                    pollers.forEach(QueuePoller::stop);
                    for (ActivityWorker w : workers) {
                        try {
                            w.awaitTermination(Duration.ofSeconds(30));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                    stopped.countDown();
                }, "hf-worker-stop");
                Runtime.getRuntime().addShutdownHook(hook);
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
            String url = queue != null ? queue : Cli.queues().urlFor(Step.PLAN);
            try (SqsClient sqs = SqsClient.create()) {
                System.out.println(RenderRequests.send(sqs, url, in));
            }
            return 0;
        }
    }
}
