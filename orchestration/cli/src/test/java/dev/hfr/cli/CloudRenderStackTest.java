package dev.hfr.cli;

import com.sun.net.httpserver.HttpServer;
import dev.hfr.ffmpeg.MediaProbe;
import dev.hfr.local.testing.RealRenderFixture;
import dev.hfr.storage.testing.LocalStack;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hf cloud render --stack} end to end on LocalStack, in both modes: a CloudFormation stack with
 * template.yaml's output names (bucket, queues with DLQs, the three activities, the activity state machine from
 * render.activities.asl.json), one {@code hf worker --stack} process running every step with the real engine,
 * {@code hf cloud render} as its own process. The downloaded videos must match a local single-pass render, the
 * webhook must arrive signed at a 127.0.0.1 listener, and the second upload of the same project is skipped.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the first render is the one that uploads the project
class CloudRenderStackTest {
    private static final Duration STACK_TIMEOUT = Duration.ofSeconds(120);
    private static final long RENDER_TIMEOUT_S = 300;
    private static final String SECRET = "cloud-render-test-secret";

    @TempDir
    static Path tmp;
    private static LocalStack ls;
    private static CloudFormationClient cfn;
    private static String stack;
    private static Process worker;
    private static Path workerLog;
    private static HttpServer hooks;
    private static final List<Map<String, Object>> calls = new CopyOnWriteArrayList<>();
    private static final List<String> badSignatures = new CopyOnWriteArrayList<>();
    private static Path reference;

    @BeforeAll
    static void setUp() throws Exception {
        ls = LocalStack.require();
        cfn = CloudFormationClient.builder().httpClientBuilder(ApacheHttpClient.builder()).endpointOverride(ls.endpoint())
                .region(LocalStack.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        stack = "hfr-cloud-" + UUID.randomUUID().toString().substring(0, 8);
        String templateBody = template();
        cfn.createStack(b -> b.stackName(stack).templateBody(templateBody));
        long end = System.nanoTime() + STACK_TIMEOUT.toNanos();
        StackStatus status;
        do {
            Thread.sleep(1000);
            status = cfn.describeStacks(b -> b.stackName(stack)).stacks().getFirst().stackStatus();
        } while (status == StackStatus.CREATE_IN_PROGRESS && System.nanoTime() < end);
        assertEquals(StackStatus.CREATE_COMPLETE, status, "stack " + stack);

        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String sig = ex.getRequestHeaders().getFirst("X-Hfr-Signature");
            if (!signatureOk(body, sig)) {
                badSignatures.add(sig + " for " + new String(body, StandardCharsets.UTF_8));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = ObjectMapper.getDefault().readValue(body, Map.class);
            calls.add(m);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hooks.start();

        reference = RealRenderFixture.referenceRender(tmp.resolve("reference"));
        workerLog = tmp.resolve("worker.log");
        worker = hf(List.of("worker", "--stack", stack, "--threads", "2"), workerLog);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (worker != null) {
            worker.destroy(); // SIGTERM: the worker stops polling and finishes what it holds
            if (!worker.waitFor(40, TimeUnit.SECONDS)) {
                worker.descendants().forEach(ProcessHandle::destroyForcibly);
                worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (hooks != null) {
            hooks.stop(0);
        }
        if (cfn != null) {
            cfn.close();
        }
    }

    static boolean signatureOk(byte[] body, String header) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            String expected = "sha512=" + HexFormat.of().formatHex(mac.doFinal(body));
            return header != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    header.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            return false;
        }
    }

    /** A stack with template.yaml's output names, built from what LocalStack's CloudFormation runs without Lambda. */
    static String template() throws IOException {
        String asl = new String(CloudRenderStackTest.class.getResourceAsStream("/statemachine/render.activities.asl.json")
                .readAllBytes(), StandardCharsets.UTF_8);
        Map<String, Object> res = new LinkedHashMap<>();
        String bucket = "hfr-cloud-" + UUID.randomUUID().toString().substring(0, 8);
        res.put("RenderBucket", Map.of("Type", "AWS::S3::Bucket", "Properties", Map.of("BucketName", bucket)));
        for (String q : List.of("RenderRequest", "Chunk", "Assemble")) {
            res.put(q + "DeadLetterQueue", Map.of("Type", "AWS::SQS::Queue"));
            res.put(q + "Queue", Map.of("Type", "AWS::SQS::Queue", "Properties", Map.of("VisibilityTimeout", 120,
                    "RedrivePolicy", Map.of("deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(q + "DeadLetterQueue", "Arn")),
                            "maxReceiveCount", 3))));
        }
        for (String a : List.of("Plan", "RenderChunk", "Assemble")) {
            res.put(a + "Activity", Map.of("Type", "AWS::StepFunctions::Activity",
                    "Properties", Map.of("Name", bucket + "-" + a.toLowerCase())));
        }
        res.put("WorkerStateMachine", Map.of("Type", "AWS::StepFunctions::StateMachine", "Properties", Map.of(
                "StateMachineName", bucket + "-render-workers",
                "RoleArn", "arn:aws:iam::000000000000:role/hfr-test-state-machine",
                "DefinitionString", Map.of("Fn::Sub", List.of(asl, Map.of(
                        "PlanActivityArn", Map.of("Ref", "PlanActivity"),
                        "RenderChunkActivityArn", Map.of("Ref", "RenderChunkActivity"),
                        "AssembleActivityArn", Map.of("Ref", "AssembleActivity")))))));
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("RenderBucketName", Map.of("Value", Map.of("Ref", "RenderBucket")));
        outputs.put("WorkerStateMachineArn", Map.of("Value", Map.of("Ref", "WorkerStateMachine")));
        for (String a : List.of("Plan", "RenderChunk", "Assemble")) {
            outputs.put(a + "ActivityArn", Map.of("Value", Map.of("Ref", a + "Activity")));
        }
        for (String q : List.of("RenderRequest", "Chunk", "Assemble")) {
            outputs.put(q + "QueueUrl", Map.of("Value", Map.of("Ref", q + "Queue")));
            outputs.put(q + "DeadLetterQueueUrl", Map.of("Value", Map.of("Ref", q + "DeadLetterQueue")));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("ComputeMode", Map.of("Type", "String", "Default", "workers"));
        params.put("OrchestrationMode", Map.of("Type", "String", "Default", "both"));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("AWSTemplateFormatVersion", "2010-09-09");
        t.put("Parameters", params);
        t.put("Resources", res);
        t.put("Outputs", outputs);
        return ObjectMapper.getDefault().writeValueAsString(t);
    }

    /** {@code hf ARGS} as its own JVM against LocalStack, output to {@code log}. */
    static Process hf(List<String> args, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.hfr.cli.Hf"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL", ls.endpoint().toString());
        env.put("AWS_REGION", LocalStack.REGION.id());
        env.put("AWS_DEFAULT_REGION", LocalStack.REGION.id());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.remove("HFR_RENDER_BUCKET"); // the stack names it
        env.put("HFR_WEBHOOK_SECRET", SECRET);
        env.put("HFR_WORK_DIR", tmp.resolve("work-" + log.getFileName()).toString());
        return pb.start();
    }

    record Run(int exit, String out) {
    }

    static Run render(String... args) throws Exception {
        Path log = Files.createTempFile(tmp, "render-", ".log");
        Process p = hf(List.of(args), log);
        if (!p.waitFor(RENDER_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("hf " + String.join(" ", args) + " did not end in " + RENDER_TIMEOUT_S + " s:\n"
                    + Files.readString(log) + "\nworker:\n" + Files.readString(workerLog));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    private static String renderId(String out) {
        Matcher m = Pattern.compile("started: (\\S+) on stack").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    @Order(1)
    void rendersInBothModesWithASignedWebhookAndUploadsTheProjectOnce() throws Exception {
        String project = RealRenderFixture.project().toString();
        String hook = "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook";

        Path sfnOut = tmp.resolve("out/sfn.mp4");
        long t0 = System.nanoTime();
        Run sfn = render("cloud", "render", project, "--stack", stack, "--mode", "stepfunctions", "-o", sfnOut.toString(),
                "--chunk-size", "15", "--max-parallel-chunks", "4", "--webhook-url", hook, "--webhook-data", "{\"job\":\"sfn\"}");
        long sfnMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, sfn.exit(), sfn.out() + "\nworker:\n" + Files.readString(workerLog));
        assertTrue(sfn.out().contains("project: uploaded s3://"), sfn.out());
        assertTrue(sfn.out().contains("Step Functions execution arn:aws:states:"), sfn.out());
        assertTrue(sfn.out().contains("SUCCEEDED [########################] 100%  frames 60/60  chunks 4/4"), sfn.out());
        assertTrue(sfn.out().contains("done: " + sfnOut), sfn.out());
        assertTrue(Pattern.compile("cost: \\$\\d+\\.\\d{4}").matcher(sfn.out()).find(), sfn.out());
        assertTrue(sfn.out().contains("Step Functions"), sfn.out());
        assertEquals(60, MediaProbe.frameCount(RealRenderFixture.FFMPEG, sfnOut));
        RealRenderFixture.assertMatchesReference(reference, sfnOut);

        Path sqsOut = tmp.resolve("out/sqs.mp4");
        t0 = System.nanoTime();
        Run sqs = render("cloud", "render", project, "--stack", stack, "--mode", "sqs", "-o", sqsOut.toString(),
                "--chunk-size", "30", "--webhook-url", hook, "--webhook-data", "{\"job\":\"sqs\"}");
        long sqsMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, sqs.exit(), sqs.out() + "\nworker:\n" + Files.readString(workerLog));
        assertTrue(sqs.out().contains("project: already there s3://"), "the same tree, the same key: " + sqs.out());
        assertTrue(sqs.out().contains("SQS request on http"), sqs.out());
        assertTrue(sqs.out().contains("SUCCEEDED [########################] 100%  frames 60/60  chunks 2/2"), sqs.out());
        assertTrue(Pattern.compile("cost: \\$\\d+\\.\\d{4}").matcher(sqs.out()).find(), sqs.out());
        assertEquals(60, MediaProbe.frameCount(RealRenderFixture.FFMPEG, sqsOut));
        RealRenderFixture.assertMatchesReference(reference, sqsOut);

        // the webhooks: one signed success call per render, with its CustomData and the render's id
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (calls.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(badSignatures.isEmpty(), badSignatures::toString);
        assertEquals(2, calls.size(), calls::toString);
        Map<String, String> jobs = new LinkedHashMap<>();
        for (Map<String, Object> c : calls) {
            assertEquals("success", c.get("Type"), c::toString);
            jobs.put(String.valueOf(((Map<?, ?>) c.get("CustomData")).get("job")), String.valueOf(c.get("RenderId")));
        }
        assertEquals(renderId(sfn.out()), jobs.get("sfn"));
        assertEquals(renderId(sqs.out()), jobs.get("sqs"));

        // progress and cancel by render id, the stack giving the bucket and the state machine
        Run progress = render("cloud", "progress", renderId(sfn.out()), "--stack", stack, "--once");
        assertEquals(0, progress.exit(), progress.out());
        assertTrue(progress.out().contains("SUCCEEDED") && progress.out().contains("frames 60/60"), progress.out());
        Run cancel = render("cloud", "cancel", renderId(sqs.out()), "--stack", stack);
        assertEquals(1, cancel.exit(), cancel.out());
        assertTrue(cancel.out().contains("too late") && cancel.out().contains("SUCCEEDED"), cancel.out());
        assertFalse(Files.readString(workerLog).contains("\"outcome\":\"failed\""), Files.readString(workerLog));
        System.out.printf("hf cloud render --stack: step functions %d ms, sqs %d ms (wall clock, worker on this machine)%n",
                sfnMillis, sqsMillis);
        System.out.println("--- step functions run ---\n" + sfn.out() + "--- sqs run ---\n" + sqs.out());
    }

    @Test
    @Order(2)
    void renderBatchRendersEveryLineAtMostNAtOnceAndEndsWithATable() throws Exception {
        String project = RealRenderFixture.project().toString();
        Path batch = tmp.resolve("batch/renders.jsonl");
        Files.createDirectories(batch.getParent());
        Files.writeString(batch, "{\"project\": \"" + project + "\", \"output\": \"out/b1.mp4\", \"config\": {\"chunkSize\": 30}}\n"
                + "\n"
                + "{\"project\": \"" + project + "\", \"config\": {\"chunkSize\": 60}}\n");
        Run b = render("cloud", "render-batch", batch.toString(), "--stack", stack, "--mode", "sqs", "--max-concurrent", "2",
                "--interval", "1s");
        assertEquals(0, b.exit(), b.out() + "\nworker:\n" + Files.readString(workerLog));
        assertTrue(b.out().contains("2 renders on stack " + stack + " (sqs), at most 2 at once"), b.out());
        assertTrue(Pattern.compile("\\[\\d/2\\] line 1 \\S+: SUCCEEDED, 60 frames").matcher(b.out()).find(), b.out());
        assertTrue(Pattern.compile("\\[\\d/2\\] line 3 \\S+: SUCCEEDED, 60 frames").matcher(b.out()).find(), b.out());
        assertTrue(b.out().contains("line  render") && b.out().contains("2 succeeded, 0 failed"), b.out());
        Path out = tmp.resolve("batch/out/b1.mp4");
        assertEquals(60, MediaProbe.frameCount(RealRenderFixture.FFMPEG, out));
        RealRenderFixture.assertMatchesReference(reference, out);
        System.out.println("--- render-batch ---\n" + b.out());
    }

    @Test
    void aMissingStackIsInvalidConfigNamingIt() throws Exception {
        Run r = render("cloud", "render", RealRenderFixture.project().toString(), "--stack", "no-such-stack-" + stack,
                "--no-download");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("INVALID_CONFIG") && r.out().contains("stack no-such-stack-" + stack), r.out());
    }
}
