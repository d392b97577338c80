package dev.hfr.sfn;

import org.junit.jupiter.api.Tag;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks template.yaml against the source tree and our security rules; {@link #cfnLintIsClean()} runs cfn-lint. */
@Tag("integration")
class SamTemplateTest {
    /**
     * The only actions allowed on Resource "*": AWS offers no resource-level permissions for them
     * (CloudWatch Logs vended log delivery for Step Functions, and X-Ray).
     */
    static final Set<String> STAR_RESOURCE_ACTIONS = Set.of(
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
            "xray:GetSamplingTargets");

    private static Path root;
    private static Map<String, Object> template;
    private static Map<String, Object> resources;

    @BeforeAll
    static void load() throws IOException {
        root = Path.of(System.getProperty("hfr.repo.root", "../.."));
        template = parse(Files.readString(root.resolve("template.yaml")));
        resources = map(template.get("Resources"));
    }

    /** CloudFormation short tags (!Ref, !Sub, !If, ...) become {"Ref": x} / {"Fn::Sub": x} maps. */
    static Map<String, Object> parse(String yaml) {
        class CfnConstructor extends SafeConstructor {
            CfnConstructor() {
                super(new LoaderOptions());
                yamlMultiConstructors.put("!", new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        String tag = node.getTag().getValue().substring(1);
                        String key = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                        Object value = switch (node) {
                            case ScalarNode s -> constructScalar(s);
                            case SequenceNode s -> constructSequence(s);
                            case MappingNode m -> constructMapping(m);
                            default -> throw new IllegalStateException("unexpected node " + node);
                        };
                        return Map.of(key, value);
                    }
                });
            }
        }
        return new Yaml(new CfnConstructor()).load(yaml);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    private static Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        resources.forEach((name, r) -> {
            if (type.equals(map(r).get("Type"))) {
                out.put(name, map(r));
            }
        });
        return out;
    }

    private static Map<String, Object> props(String resource) {
        return map(map(resources.get(resource)).get("Properties"));
    }

    @Test
    void everyHandlerIsARealClassInFunctionsSources() throws IOException {
        var functions = resourcesOfType("AWS::Serverless::Function");
        assertEquals(Set.of("PlanFunction", "RenderChunkFunction", "AssembleFunction",
                "PlanQueueFunction", "RenderChunkQueueFunction", "AssembleQueueFunction"), functions.keySet());
        List<Path> sources = new java.util.ArrayList<>();
        for (Path dir : List.of(root.resolve("functions"), root.resolve("orchestration/sqs-lambda"))) {
            try (Stream<Path> s = Files.walk(dir)) {
                sources.addAll(s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).toList());
            }
        }
        for (var e : functions.entrySet()) {
            String handler = (String) map(e.getValue().get("Properties")).get("Handler");
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            String relative = "src/main/java/" + className.replace('.', '/') + ".java";
            assertTrue(sources.stream().anyMatch(p -> p.toString().endsWith(relative)),
                    e.getKey() + ": handler " + className + " has no source file */" + relative
                            + " under functions/ or orchestration/sqs-lambda/");
        }
    }

    @Test
    void samBuildBuildsEveryFunctionAndLayerThroughItsOwnMakefileTarget() throws IOException {
        // sam build runs `make build-<LogicalId>` in CodeUri/ContentUri (samconfig.toml: in source, no copy of .cache)
        Map<String, String> expected = Map.of(
                "PlanFunction", "function functions/plan ",
                "RenderChunkFunction", "function functions/render-chunk ",
                "AssembleFunction", "function functions/assemble ",
                "PlanQueueFunction", "function orchestration/sqs-lambda ",
                "RenderChunkQueueFunction", "function orchestration/sqs-lambda ",
                "AssembleQueueFunction", "function orchestration/sqs-lambda ",
                "ChromiumLayer", "layer chromium ",
                "FfmpegLayer", "layer ffmpeg ");
        String makefile = Files.readString(root.resolve("Makefile"));
        for (var e : expected.entrySet()) {
            String id = e.getKey();
            Map<String, Object> resource = map(resources.get(id));
            assertEquals("makefile", map(resource.get("Metadata")).get("BuildMethod"), id + ": Metadata.BuildMethod");
            assertEquals(".", props(id).get(id.endsWith("Layer") ? "ContentUri" : "CodeUri"), id + ": the repo root holds the Makefile");
            // the target's recipe: the first tab-indented line after the line that names build-<id> as a target
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?m)^[^\\t\\n]*\\bbuild-" + id + "\\b[^\\n]*:\\s*\\n\\t([^\\n]+)").matcher(makefile);
            assertTrue(m.find(), "Makefile has no target build-" + id);
            assertTrue(m.group(1).contains("scripts/lambda-build.sh") || m.group(1).contains("$(LB)"), id + ": " + m.group(1));
            assertTrue(m.group(1).contains(e.getValue() + "\"$(ARTIFACTS_DIR)\""), id + " builds " + m.group(1));
        }
        assertEquals(expected.keySet(), java.util.stream.Stream.concat(resourcesOfType("AWS::Serverless::Function").keySet().stream(),
                resourcesOfType("AWS::Serverless::LayerVersion").keySet().stream()).collect(java.util.stream.Collectors.toSet()));
        assertTrue(Files.readString(root.resolve("samconfig.toml")).contains("build_in_source = true"));
        for (String module : List.of("plan", "render-chunk", "assemble")) {
            assertTrue(Files.isDirectory(root.resolve("functions").resolve(module)), "functions/" + module);
        }
        assertEquals(Map.of("Size", 10240), props("RenderChunkFunction").get("EphemeralStorage"));
        // plan's unpacked Chromium + ffmpeg + Playwright driver (~507 MB) do not fit SnapStart's 512 MB /tmp
        assertEquals(null, props("PlanFunction").get("SnapStart"));
        assertTrue((Integer) map(props("PlanFunction").get("EphemeralStorage")).get("Size") >= 1024);
    }

    @Test
    void stateMachineUsesTheShippedDefinitionAndItsSubstitutions() {
        Map<String, Object> sm = map(resources.get("RenderStateMachine"));
        assertEquals("CreateLambdaStateMachine", sm.get("Condition"), "no Lambda state machine in sqs mode or workers mode");
        Map<String, Object> p = map(sm.get("Properties"));
        Path definition = root.resolve((String) p.get("DefinitionUri"));
        assertTrue(Files.isRegularFile(definition), definition + " does not exist");
        assertTrue(definition.endsWith(Path.of("src/main/resources", StateMachineDefinition.RESOURCE)),
                "SAM must deploy the same file StateMachineDefinition loads: " + definition);
        assertEquals(Set.copyOf(StateMachineDefinition.load().placeholders()), map(p.get("DefinitionSubstitutions")).keySet());
        assertEquals(Map.of("Enabled", true), p.get("Tracing"));
        Map<String, Object> logging = map(p.get("Logging"));
        assertNotNull(logging.get("Destinations"));
        assertTrue(map(props("RenderStateMachineLogGroup")).get("RetentionInDays") instanceof Integer);
    }

    @Test
    void workersModeDeploysTheActivityFormActivitiesUntriggeredQueuesAndAWorkerPolicy() {
        Map<String, Object> conditions = map(template.get("Conditions"));
        for (String c : List.of("CreateFunctions", "CreateWorkerResources", "CreateActivities", "CreateQueueTriggers")) {
            assertNotNull(conditions.get(c), c);
        }
        for (String fn : List.of("PlanFunction", "RenderChunkFunction", "AssembleFunction", "ChromiumLayer", "FfmpegLayer")) {
            assertEquals("CreateFunctions", map(resources.get(fn)).get("Condition"), fn + ": no Lambda in workers mode");
        }
        for (String esm : List.of("RenderRequestEventSource", "ChunkEventSource", "AssembleEventSource")) {
            assertEquals("CreateQueueTriggers", map(resources.get(esm)).get("Condition"), esm + ": no trigger without functions");
        }
        for (String a : List.of("PlanActivity", "RenderChunkActivity", "AssembleActivity")) {
            assertEquals("AWS::StepFunctions::Activity", map(resources.get(a)).get("Type"), a);
            assertEquals("CreateActivities", map(resources.get(a)).get("Condition"), a);
        }
        Map<String, Object> sm = map(resources.get("WorkerStateMachine"));
        assertEquals("CreateActivities", sm.get("Condition"));
        Map<String, Object> p = map(sm.get("Properties"));
        Path definition = root.resolve((String) p.get("DefinitionUri"));
        assertTrue(definition.endsWith(Path.of("src/main/resources", StateMachineDefinition.ACTIVITIES_RESOURCE)),
                "the activity machine deploys the generated activity form: " + definition);
        assertEquals(Set.copyOf(StateMachineDefinition.ACTIVITY_SUBSTITUTIONS), map(p.get("DefinitionSubstitutions")).keySet());
        assertEquals("AWS::IAM::ManagedPolicy", map(resources.get("WorkerPolicy")).get("Type"));
        Map<String, Object> outputs = map(template.get("Outputs"));
        for (String o : List.of("RenderBucketName", "WorkerStateMachineArn", "PlanActivityArn", "RenderChunkActivityArn",
                "AssembleActivityArn", "RenderRequestQueueUrl", "ChunkQueueUrl", "AssembleQueueUrl",
                "RenderRequestDeadLetterQueueUrl", "ChunkDeadLetterQueueUrl", "AssembleDeadLetterQueueUrl", "WorkerPolicyArn")) {
            assertNotNull(outputs.get(o), "output " + o + " (a worker needs it)");
        }
    }

    @Test
    void chromeSourceOffersOnlyWhatPackageLambdaBuilds() {
        Map<String, Object> param = map(map(template.get("Parameters")).get("ChromeSource"));
        assertEquals(List.of("sparticuz"), param.get("AllowedValues"));
    }

    @Test
    void renderBucketIsRetainedPrivateEncryptedAndExpiresIntermediates() {
        Map<String, Object> bucket = map(resources.get("RenderBucket"));
        assertEquals("Retain", bucket.get("DeletionPolicy"));
        assertEquals("Retain", bucket.get("UpdateReplacePolicy"));
        Map<String, Object> p = map(bucket.get("Properties"));
        Map<String, Object> block = map(p.get("PublicAccessBlockConfiguration"));
        for (String k : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertEquals(true, block.get(k), k);
        }
        assertNotNull(p.get("BucketEncryption"));
        List<?> rules = (List<?>) map(p.get("LifecycleConfiguration")).get("Rules");
        assertTrue(rules.stream().map(SamTemplateTest::map).anyMatch(r -> "renders/".equals(r.get("Prefix"))
                && Integer.valueOf(7).equals(r.get("ExpirationInDays")) && "Enabled".equals(r.get("Status"))),
                "lifecycle rule: renders/ expires after 7 days");
    }

    @Test
    void queuesHaveDeadLetterQueuesAndLongEnoughVisibility() {
        int maxTimeoutSec = (Integer) map(map(template.get("Parameters")).get("LambdaTimeoutSec")).get("MaxValue");
        for (String q : List.of("RenderRequestQueue", "ChunkQueue", "AssembleQueue")) {
            Map<String, Object> queue = map(resources.get(q));
            assertEquals("CreateQueues", queue.get("Condition"), q);
            Map<String, Object> p = map(queue.get("Properties"));
            Map<String, Object> redrive = map(p.get("RedrivePolicy"));
            assertEquals(dev.hfr.model.Limits.MAX_CHUNK_ATTEMPTS, redrive.get("maxReceiveCount"),
                    q + ": a message gets the attempts every orchestrator gives a step");
            Object getAtt = map(redrive.get("deadLetterTargetArn")).get("Fn::GetAtt");   // !GetAtt Name.Arn
            String dlq = getAtt instanceof List<?> l ? (String) l.get(0) : ((String) getAtt).split("\\.")[0];
            assertEquals(1_209_600, props(dlq).get("MessageRetentionPeriod"), dlq + ": 14 days");
            assertTrue((Integer) p.get("VisibilityTimeout") >= 6 * maxTimeoutSec, q + " visibility < 6 x function timeout");
        }
        for (String esm : List.of("RenderRequestEventSource", "ChunkEventSource", "AssembleEventSource")) {
            Map<String, Object> p = props(esm);
            assertEquals(1, p.get("BatchSize"), esm);
            assertEquals(List.of("ReportBatchItemFailures"), p.get("FunctionResponseTypes"), esm);
            // the SQS mode's own handlers take the batches: the step functions know nothing of queues
            String function = String.valueOf(map(p.get("FunctionName")).get("Ref")).replace(".Alias", "");
            assertTrue(String.valueOf(props(function).get("Handler")).startsWith("dev.hfr.sqs.lambda."),
                    esm + " invokes " + function + ", whose handler is not one of dev.hfr.sqs.lambda's");
        }
    }

    @Test
    void noIamStatementUsesResourceStarExceptWhereAwsRequiresIt() {
        List<Map<String, Object>> statements = new ArrayList<>();
        collectStatements(template, statements);
        assertTrue(statements.size() >= 10, "found only " + statements.size() + " statements");
        for (Map<String, Object> st : statements) {
            if (!"Allow".equals(st.get("Effect"))) {
                continue;
            }
            Object resource = st.get("Resource");
            boolean star = "*".equals(resource) || (resource instanceof List<?> l && l.contains("*"));
            if (star) {
                Object action = st.get("Action");
                List<?> actions = action instanceof List<?> l ? l : List.of(action);
                for (Object a : actions) {
                    assertTrue(STAR_RESOURCE_ACTIONS.contains(a), "Resource \"*\" for " + a + " in " + st);
                }
            }
            assertTrue(!String.valueOf(st.get("Action")).contains("*"), "wildcard action in " + st);
        }
    }

    @Test
    void theStateMachineRoleMayReadChunkListsAndStartItsOwnChildren() {
        // the Distributed Map's ItemReader GETs <render prefix>/plan/chunks.json; its children are executions of itself
        List<Map<String, Object>> statements = new ArrayList<>();
        collectStatements(resources.get("RenderStateMachineRole"), statements);
        Map<String, Object> read = statements.stream().filter(st -> "ReadChunkLists".equals(st.get("Sid"))).findFirst()
                .orElseThrow(() -> new AssertionError("RenderStateMachineRole has no ReadChunkLists statement"));
        assertEquals("s3:GetObject", read.get("Action"));
        assertEquals(Map.of("Fn::Sub", "${RenderBucket.Arn}/renders/*"), read.get("Resource"));
        Map<String, Object> start = statements.stream().filter(st -> "StartChildExecutions".equals(st.get("Sid"))).findFirst()
                .orElseThrow(() -> new AssertionError("RenderStateMachineRole has no StartChildExecutions statement"));
        assertEquals("states:StartExecution", start.get("Action"));
        assertTrue(String.valueOf(start.get("Resource")).contains(":stateMachine:${ProjectName}-render'")
                || String.valueOf(start.get("Resource")).contains(":stateMachine:${ProjectName}-render}"), String.valueOf(start.get("Resource")));
    }

    private static void collectStatements(Object node, List<Map<String, Object>> out) {
        if (node instanceof Map<?, ?> m) {
            if (m.containsKey("Effect") && m.containsKey("Action")) {
                out.add(map(m));
            }
            m.values().forEach(v -> collectStatements(v, out));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectStatements(v, out));
        }
    }

    @Test
    void cfnLintIsClean() throws Exception {
        Path script = root.resolve("scripts/cfn-lint.sh");
        Process p = new ProcessBuilder("bash", script.toString()).directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "cfn-lint did not finish");
        assertEquals(0, p.exitValue(), "cfn-lint findings:\n" + out);
    }
}
