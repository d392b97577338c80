package dev.hfr.cli;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stack's outputs and parameters as hf worker / hf cloud use them; a missing one names stack and output. */
class StackInfoTest {
    private static final String SM = "arn:aws:states:us-east-1:123456789012:stateMachine:hfr-render-workers";

    private static StackInfo stack(Map<String, String> outputs, Map<String, String> params) {
        Stack s = Stack.builder().stackName("hfr")
                .outputs(outputs.entrySet().stream().map(e -> Output.builder().outputKey(e.getKey()).outputValue(e.getValue()).build()).toList())
                .parameters(params.entrySet().stream().map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList())
                .build();
        return StackInfo.of("hfr", s);
    }

    private static Map<String, String> workersBoth() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("RenderBucketName", "hfr-bucket");
        o.put("WorkerStateMachineArn", SM);
        o.put("PlanActivityArn", "arn:plan");
        o.put("RenderChunkActivityArn", "arn:chunk");
        o.put("AssembleActivityArn", "arn:assemble");
        o.put("RenderRequestQueueUrl", "http://q/requests");
        o.put("ChunkQueueUrl", "http://q/chunks");
        o.put("AssembleQueueUrl", "http://q/assemble");
        o.put("RenderRequestDeadLetterQueueUrl", "http://q/requests-dlq");
        o.put("ChunkDeadLetterQueueUrl", "http://q/chunks-dlq");
        o.put("AssembleDeadLetterQueueUrl", "http://q/assemble-dlq");
        return o;
    }

    @Test
    void aWorkersStackMapsEveryOutputTheWorkerAndTheRenderNeed() {
        StackInfo s = stack(workersBoth(), Map.of("ComputeMode", "workers", "OrchestrationMode", "both"));
        assertEquals("hfr-bucket", s.bucket());
        assertEquals(SM, s.stateMachineArn());
        assertEquals(StackInfo.Mode.STEPFUNCTIONS, s.defaultMode());
        assertEquals("http://q/requests", s.requestQueueUrl());
        assertEquals("arn:chunk", s.activities().orElseThrow().renderChunkArn());
        assertEquals(List.of("http://q/requests", "http://q/chunks", "http://q/assemble"), s.stepQueues().orElseThrow());
        assertEquals(List.of("http://q/requests-dlq", "http://q/chunks-dlq", "http://q/assemble-dlq"), s.deadLetterQueues());
        assertTrue(s.memorySummary().contains("ComputeMode=workers"), s.memorySummary());

        CloudCommands.Worker w = new CloudCommands.Worker();
        w.chunkQueue = "http://explicit/chunks";
        w.fromStack(s);
        assertEquals("arn:plan", w.plan);
        assertEquals("http://explicit/chunks", w.chunkQueue, "an explicit option wins over the stack");
        assertEquals("http://q/assemble", w.assembleQueue);
        assertEquals(3, w.deadLetterQueues.size());
    }

    @Test
    void theLambdaStateMachineIsPreferredAndAnSqsOnlyStackStartsThroughItsQueue() {
        Map<String, String> both = workersBoth();
        both.put("RenderStateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:hfr-render");
        assertEquals("arn:aws:states:us-east-1:123456789012:stateMachine:hfr-render",
                stack(both, Map.of("ComputeMode", "both")).stateMachineArn());
        StackInfo lambda = stack(both, Map.of("ComputeMode", "lambda", "LambdaMemoryMb", "4096"));
        assertTrue(lambda.memorySummary().contains("render-chunk 4096 MB"), lambda.memorySummary());

        StackInfo sqs = stack(Map.of("RenderBucketName", "b", "RenderRequestQueueUrl", "http://q/requests"),
                Map.of("OrchestrationMode", "sqs"));
        assertEquals(StackInfo.Mode.SQS, sqs.defaultMode());
        assertFalse(sqs.activities().isPresent());
    }

    @Test
    void aMissingOutputIsInvalidConfigNamingTheStackAndTheOutput() {
        StackInfo sqs = stack(Map.of("RenderBucketName", "b", "RenderRequestQueueUrl", "http://q/requests"),
                Map.of("OrchestrationMode", "sqs"));
        RenderException e = assertThrows(RenderException.class, sqs::stateMachineArn);
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("stack hfr") && e.getMessage().contains("RenderStateMachineArn")
                && e.getMessage().contains("WorkerStateMachineArn") && e.getMessage().contains("OrchestrationMode is sqs"), e.getMessage());

        RenderException noBucket = assertThrows(RenderException.class, () -> stack(Map.of(), Map.of()).bucket());
        assertTrue(noBucket.getMessage().contains("stack hfr has no output RenderBucketName"), noBucket.getMessage());

        Map<String, String> partial = workersBoth();
        partial.remove("AssembleActivityArn");
        RenderException act = assertThrows(RenderException.class, () -> stack(partial, Map.of()).activities());
        assertTrue(act.getMessage().contains("no output AssembleActivityArn"), act.getMessage());

        Map<String, String> noDlq = workersBoth();
        noDlq.remove("ChunkDeadLetterQueueUrl");
        RenderException dlq = assertThrows(RenderException.class, () -> stack(noDlq, Map.of()).deadLetterQueues());
        assertTrue(dlq.getMessage().contains("no output ChunkDeadLetterQueueUrl"), dlq.getMessage());

        RenderException none = assertThrows(RenderException.class, () -> stack(Map.of("RenderBucketName", "b"), Map.of()).defaultMode());
        assertTrue(none.getMessage().contains("neither a state machine"), none.getMessage());
    }

    @Test
    void aRenderIdMapsToAnExecutionOfEachStateMachine() {
        Map<String, String> both = workersBoth();
        both.put("RenderStateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:hfr-render");
        assertEquals(List.of("arn:aws:states:us-east-1:123456789012:execution:hfr-render:r1",
                        "arn:aws:states:us-east-1:123456789012:execution:hfr-render-workers:r1"),
                TargetOptions.executionArns(stack(both, Map.of()), "r1"));
    }
}
