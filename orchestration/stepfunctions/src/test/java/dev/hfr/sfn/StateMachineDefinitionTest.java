package dev.hfr.sfn;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.Limits;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("integration")
class StateMachineDefinitionTest {
    private static final String PLAN = "arn:aws:lambda:us-east-1:123456789012:function:hfr-plan";
    private static final String CHUNK = "arn:aws:lambda:us-east-1:123456789012:function:hfr-render-chunk";
    private static final String ASSEMBLE = "arn:aws:lambda:us-east-1:123456789012:function:hfr-assemble";
    private static final Map<String, String> ARNS = Map.of(
            StateMachineDefinition.PLAN_FUNCTION_ARN, PLAN,
            StateMachineDefinition.RENDER_CHUNK_FUNCTION_ARN, CHUNK,
            StateMachineDefinition.ASSEMBLE_FUNCTION_ARN, ASSEMBLE);

    private final StateMachineDefinition definition = StateMachineDefinition.load();

    private List<Map.Entry<String, Map<String, Object>>> tasks(StateMachineDefinition d) {
        return d.states().entrySet().stream().filter(e -> "Task".equals(e.getValue().get("Type"))).toList();
    }

    @Test
    void everyTaskRetriesExactlyTheRetryableCodesAndCatchesEverything() {
        var tasks = tasks(definition);
        assertEquals(List.of("Plan", "RenderChunk", "Assemble"), tasks.stream().map(Map.Entry::getKey).toList());
        for (var e : tasks) {
            String name = e.getKey();
            List<?> retry = (List<?>) e.getValue().get("Retry");
            assertNotNull(retry, name + " has no Retry");
            assertEquals(2, retry.size(), name + ": expected [non-retryable, States.ALL]");
            Map<?, ?> first = (Map<?, ?>) retry.get(0);
            assertEquals(ErrorCode.nonRetryableNames(), first.get("ErrorEquals"),
                    name + ": the non-retryable list differs from ErrorCode.nonRetryableNames()");
            for (String retryable : ErrorCode.retryableNames()) {
                assertFalse(((List<?>) first.get("ErrorEquals")).contains(retryable),
                        name + " lists retryable " + retryable + " as non-retryable");
            }
            assertEquals(0, ((Number) first.get("MaxAttempts")).intValue(), name);
            Map<?, ?> all = (Map<?, ?>) retry.get(1);
            assertEquals(List.of("States.ALL"), all.get("ErrorEquals"), name);
            assertEquals(2, ((Number) all.get("IntervalSeconds")).intValue(), name);
            assertEquals(2.0, ((Number) all.get("BackoffRate")).doubleValue(), name);
            assertEquals(Limits.MAX_CHUNK_ATTEMPTS - 1, ((Number) all.get("MaxAttempts")).intValue(),
                    name + ": retries after the first attempt, so every orchestrator gives a step the same attempts");
            assertEquals(60, ((Number) all.get("MaxDelaySeconds")).intValue(), name);

            List<?> catches = (List<?>) e.getValue().get("Catch");
            assertNotNull(catches, name + " has no Catch");
            Map<?, ?> c = (Map<?, ?>) catches.get(catches.size() - 1);
            assertEquals(List.of("States.ALL"), c.get("ErrorEquals"), name);
            assertEquals("$.Failure", c.get("ResultPath"), name + ": the failure must keep the state input");
            assertTrue(definition.states().containsKey((String) c.get("Next")), name + " catches to a missing state");
        }
    }

    @Test
    void planRunsFirstAndGetsTheWorkflowInputUnchanged() {
        Map<String, Object> root = StateMachineDefinition.parse(definition.raw());
        assertEquals("Plan", root.get("StartAt"));
        Map<?, ?> params = (Map<?, ?>) definition.states().get("Plan").get("Parameters");
        assertEquals("$", params.get("Payload.$"));
    }

    @Test
    void chunksRunInADistributedMapBoundedByMaxParallelChunks() {
        Map<String, Object> map = definition.states().get("RenderChunks");
        assertEquals("Map", map.get("Type"));
        Map<?, ?> processor = (Map<?, ?>) ((Map<?, ?>) map.get("ItemProcessor")).get("ProcessorConfig");
        assertEquals("DISTRIBUTED", processor.get("Mode"));
        assertEquals("STANDARD", processor.get("ExecutionType"));
        // the plan resolved the concurrency (Config.maxParallelChunks or the default) once; the Map reads that
        assertEquals("$.Plan.MaxParallelChunks", map.get("MaxConcurrencyPath"));
        Map<?, ?> planSelector = (Map<?, ?>) definition.states().get("Plan").get("ResultSelector");
        assertEquals("$.Payload.MaxParallelChunks", planSelector.get("MaxParallelChunks.$"));
        assertFalse(definition.raw().contains("\"MaxParallelChunks\": "),
                "no state works the concurrency out again or hard-codes its default");
        assertEquals(0.0, ((Number) map.get("ToleratedFailurePercentage")).doubleValue());
        // LocalStack's parser rejects an integer here (see localstack-notes): keep the float literal
        assertTrue(definition.raw().contains("\"ToleratedFailurePercentage\": 0.0"));
        Map<?, ?> selector = (Map<?, ?>) definition.states().get("RenderChunk").get("ResultSelector");
        assertEquals(Map.of("Status", "OK"), selector,
                "each item's result must stay small: ChunkSlicer.MAX_CHUNKS results share one 256 KiB state");
    }

    @Test
    void chunkItemsAreReadFromThePlansChunkListInS3NotFromTheState() {
        Map<String, Object> map = definition.states().get("RenderChunks");
        assertFalse(map.containsKey("ItemsPath"), "items from the state are bounded by its 256 KiB");
        assertFalse(definition.raw().contains("States.ArrayRange"), "ArrayRange stops at 1,000 items");
        Map<?, ?> reader = (Map<?, ?>) map.get("ItemReader");
        assertEquals("arn:aws:states:::s3:getObject", reader.get("Resource"));
        assertEquals(Map.of("InputType", "JSON"), reader.get("ReaderConfig"));
        assertEquals(Map.of("Bucket.$", "$.Plan.ChunkListBucket", "Key.$", "$.Plan.ChunkListKey"), reader.get("Parameters"));
        Map<?, ?> planSelector = (Map<?, ?>) definition.states().get("Plan").get("ResultSelector");
        assertEquals("$.Payload.ChunkListBucket", planSelector.get("ChunkListBucket.$"));
        assertEquals("$.Payload.ChunkListKey", planSelector.get("ChunkListKey.$"));
        assertEquals("$$.Map.Item.Value.ChunkIndex", ((Map<?, ?>) map.get("ItemSelector")).get("ChunkIndex.$"));
        assertFalse(map.containsKey("ResultWriter"), "LocalStack writes no ResultWriter files (localstack-notes)");
        // assemble takes the chunks from the plan's key layout and checks each one; no chunk list travels in state
        Map<?, ?> payload = (Map<?, ?>) ((Map<?, ?>) definition.states().get("Assemble").get("Parameters")).get("Payload");
        assertFalse(payload.containsKey("ChunkS3Uris.$"), payload.toString());
        assertFalse(definition.raw().contains("ChunkS3Uri"), "no state carries the chunk URIs");
    }

    @Test
    void theSfnSampleEventsHaveTheShapeTheTaskStatesSend() throws Exception {
        java.nio.file.Path samples = java.nio.file.Path.of(System.getProperty("hfr.repo.root", "../.."), "sample-events");
        for (var e : Map.of("RenderChunk", "render-chunk.sfn.json", "Assemble", "assemble.sfn.json").entrySet()) {
            Map<?, ?> payload = (Map<?, ?>) ((Map<?, ?>) definition.states().get(e.getKey()).get("Parameters")).get("Payload");
            java.util.Set<String> sent = new java.util.TreeSet<>();
            payload.keySet().forEach(k -> sent.add(String.valueOf(k).replace(".$", "")));
            Map<?, ?> sample = StateMachineDefinition.parse(java.nio.file.Files.readString(samples.resolve(e.getValue())));
            java.util.Set<String> sampleKeys = new java.util.TreeSet<>();
            sample.keySet().forEach(k -> sampleKeys.add(String.valueOf(k)));
            assertEquals(sent, sampleKeys, e.getValue() + " differs from what the " + e.getKey() + " state sends");
        }
    }

    @Test
    void chunkStateRetriesAndCatchesAsBefore() {
        Map<String, Object> chunk = definition.states().get("RenderChunk");
        List<?> catches = (List<?>) chunk.get("Catch");
        assertEquals(1, catches.size());
        assertEquals("RecordChunkFailure", ((Map<?, ?>) catches.get(0)).get("Next"));
        Map<?, ?> record = (Map<?, ?>) definition.states().get("RecordChunkFailure").get("Parameters");
        assertEquals(Map.of("Status", "FAILED", "ChunkIndex.$", "$.ChunkIndex", "Error.$", "$.Failure.Error",
                "Cause.$", "$.Failure.Cause"), record);
    }

    @Test
    void forLambdasSubstitutesEveryArn() {
        assertEquals(StateMachineDefinition.SUBSTITUTIONS, definition.placeholders());
        String json = definition.forLambdas(ARNS);
        assertFalse(json.contains("${"), json);
        StateMachineDefinition d = StateMachineDefinition.of(json);
        assertEquals(PLAN, ((Map<?, ?>) d.states().get("Plan").get("Parameters")).get("FunctionName"));
        assertEquals(CHUNK, ((Map<?, ?>) d.states().get("RenderChunk").get("Parameters")).get("FunctionName"));
        assertEquals(ASSEMBLE, ((Map<?, ?>) d.states().get("Assemble").get("Parameters")).get("FunctionName"));
    }

    @Test
    void forLambdasNamesTheMissingArn() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> definition.forLambdas(Map.of(StateMachineDefinition.PLAN_FUNCTION_ARN, PLAN)));
        assertTrue(e.getMessage().contains("RenderChunkFunctionArn"), e.getMessage());
        assertTrue(e.getMessage().contains("AssembleFunctionArn"), e.getMessage());
    }

    @Test
    void forActivitiesKeepsRetriesAndReadsResultsDirectly() {
        String json = definition.forActivities("arn:act:plan", "arn:act:chunk", "arn:act:assemble");
        StateMachineDefinition d = StateMachineDefinition.of(json);
        assertFalse(json.contains(StateMachineDefinition.LAMBDA_INVOKE));
        assertFalse(json.contains("$.Payload"));
        assertEquals("arn:act:plan", d.states().get("Plan").get("Resource"));
        assertFalse(d.states().get("Plan").containsKey("Parameters"), "plan gets the workflow input as it is");
        Map<?, ?> chunkParams = (Map<?, ?>) d.states().get("RenderChunk").get("Parameters");
        assertEquals("renderChunk", chunkParams.get("Action"));
        assertEquals("$.ChunkIndex", chunkParams.get("ChunkIndex.$"));
        assertEquals("$.ChunkListKey", ((Map<?, ?>) d.states().get("Plan").get("ResultSelector")).get("ChunkListKey.$"));
        assertEquals(definition.states().get("RenderChunks").get("ItemReader"), d.states().get("RenderChunks").get("ItemReader"),
                "the ItemReader is not a step: the activity form reads the same chunk list");
        assertEquals("arn:act:assemble", d.states().get("Assemble").get("Resource"));
        for (var e : tasks(d)) {
            assertEquals(definition.states().get(e.getKey()).get("Retry"), e.getValue().get("Retry"), e.getKey());
            assertEquals(definition.states().get(e.getKey()).get("Catch"), e.getValue().get("Catch"), e.getKey());
        }
    }

    @Test
    void withRetryIntervalSecondsOnlyChangesTheInterval() {
        StateMachineDefinition fast = definition.withRetryIntervalSeconds(1);
        for (var e : tasks(fast)) {
            Map<?, ?> all = (Map<?, ?>) ((List<?>) e.getValue().get("Retry")).get(1);
            assertEquals(1, ((Number) all.get("IntervalSeconds")).intValue());
            assertEquals(Limits.MAX_CHUNK_ATTEMPTS - 1, ((Number) all.get("MaxAttempts")).intValue());
        }
        assertTrue(definition.raw().contains("\"IntervalSeconds\": 2"), "the shipped file keeps its numbers");
        assertThrows(IllegalArgumentException.class, () -> definition.withRetryIntervalSeconds(0));
    }

    @Test
    void everyNextAndDefaultPointsAtAState() {
        Map<String, Map<String, Object>> states = definition.states();
        for (var e : states.entrySet()) {
            for (String key : List.of("Next", "Default")) {
                Object target = e.getValue().get(key);
                if (target != null) {
                    assertTrue(states.containsKey((String) target), e.getKey() + "." + key + " -> " + target);
                }
            }
        }
    }

    @Test
    void truncateKeepsCauseWithinTheSendTaskFailureLimit() {
        String cause = ActivityWorker.truncate("x".repeat(40_000), ActivityWorker.MAX_CAUSE_CHARS);
        assertEquals(ActivityWorker.MAX_CAUSE_CHARS, cause.length());
        assertTrue(cause.endsWith("[truncated]"));
        assertEquals("short", ActivityWorker.truncate("short", 10));
    }
}
