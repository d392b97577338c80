package dev.hfr.cli;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.sfn.RenderActivities;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code --stack NAME} names: the outputs and parameters of a stack deployed from {@code template.yaml}
 * (output and parameter names as the template's). Every required output that is missing is an
 * {@link ErrorCode#INVALID_CONFIG} naming the stack and the output, and the parameter that would have created it.
 */
record StackInfo(String name, Map<String, String> outputs, Map<String, String> parameters) {
    static final String BUCKET = "RenderBucketName";
    static final String LAMBDA_STATE_MACHINE = "RenderStateMachineArn";
    static final String WORKER_STATE_MACHINE = "WorkerStateMachineArn";
    static final String PLAN_ACTIVITY = "PlanActivityArn";
    static final String CHUNK_ACTIVITY = "RenderChunkActivityArn";
    static final String ASSEMBLE_ACTIVITY = "AssembleActivityArn";
    static final String REQUEST_QUEUE = "RenderRequestQueueUrl";
    static final String CHUNK_QUEUE = "ChunkQueueUrl";
    static final String ASSEMBLE_QUEUE = "AssembleQueueUrl";
    static final List<String> DEAD_LETTER_QUEUES = List.of("RenderRequestDeadLetterQueueUrl", "ChunkDeadLetterQueueUrl",
            "AssembleDeadLetterQueueUrl");

    /** How a render is started: one Step Functions execution, or one message on the render-requests queue. */
    enum Mode {
        STEPFUNCTIONS, SQS;

        static Mode parse(String s) {
            return switch (s == null ? "" : s.toLowerCase(java.util.Locale.ROOT)) {
                case "stepfunctions", "sfn" -> STEPFUNCTIONS;
                case "sqs" -> SQS;
                default -> throw new RenderException(ErrorCode.INVALID_CONFIG, "--mode " + s + ": expected stepfunctions or sqs");
            };
        }
    }

    StackInfo {
        outputs = Map.copyOf(outputs);
        parameters = Map.copyOf(parameters);
    }

    /** DescribeStacks; a stack that does not exist (or cannot be read) is INVALID_CONFIG naming it. */
    static StackInfo describe(CloudFormationClient cfn, String name) {
        if (name == null || name.isBlank()) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "--stack: expected the name of a stack deployed from template.yaml");
        }
        Stack stack;
        try {
            List<Stack> stacks = cfn.describeStacks(b -> b.stackName(name)).stacks();
            if (stacks.isEmpty()) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, "stack " + name + " not found");
            }
            stack = stacks.getFirst();
        } catch (CloudFormationException e) {
            String msg = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage();
            throw new RenderException(ErrorCode.INVALID_CONFIG, "stack " + name + " cannot be read (" + msg
                    + "): expected a stack deployed from template.yaml in this account and region", e);
        }
        return of(name, stack);
    }

    static StackInfo of(String name, Stack stack) {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Output o : stack.outputs()) {
            if (o.outputKey() != null && o.outputValue() != null) {
                outputs.put(o.outputKey(), o.outputValue());
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Parameter p : stack.parameters()) {
            if (p.parameterKey() != null && p.parameterValue() != null) {
                parameters.put(p.parameterKey(), p.parameterValue());
            }
        }
        return new StackInfo(name, outputs, parameters);
    }

    Optional<String> output(String key) {
        return Optional.ofNullable(outputs.get(key)).filter(v -> !v.isBlank());
    }

    String require(String key, String why) {
        return output(key).orElseThrow(() -> new RenderException(ErrorCode.INVALID_CONFIG, "stack " + name
                + " has no output " + key + " (" + why + "; it has: " + String.join(", ", outputs.keySet()) + ")"));
    }

    String bucket() {
        return require(BUCKET, "every stack from template.yaml has one");
    }

    String parameter(String key, String fallback) {
        String v = parameters.get(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** ComputeMode: lambda, workers or both (template default lambda). */
    String computeMode() {
        return parameter("ComputeMode", "lambda");
    }

    /** OrchestrationMode: stepfunctions, sqs or both (template default stepfunctions). */
    String orchestrationMode() {
        return parameter("OrchestrationMode", "stepfunctions");
    }

    /** Step Functions when the stack has a state machine, else SQS. */
    Mode defaultMode() {
        if (output(LAMBDA_STATE_MACHINE).isPresent() || output(WORKER_STATE_MACHINE).isPresent()) {
            return Mode.STEPFUNCTIONS;
        }
        if (output(REQUEST_QUEUE).isPresent()) {
            return Mode.SQS;
        }
        throw new RenderException(ErrorCode.INVALID_CONFIG, "stack " + name + " has neither a state machine ("
                + LAMBDA_STATE_MACHINE + ", " + WORKER_STATE_MACHINE + ") nor " + REQUEST_QUEUE + " among its outputs");
    }

    /** The Lambda state machine when there is one (ComputeMode lambda/both), else the activity one (workers). */
    String stateMachineArn() {
        return output(LAMBDA_STATE_MACHINE).or(() -> output(WORKER_STATE_MACHINE)).orElseThrow(() ->
                new RenderException(ErrorCode.INVALID_CONFIG, "stack " + name + " has no output " + LAMBDA_STATE_MACHINE
                        + " or " + WORKER_STATE_MACHINE + " (OrchestrationMode is " + orchestrationMode()
                        + "; a Step Functions render needs stepfunctions or both)"));
    }

    String requestQueueUrl() {
        return require(REQUEST_QUEUE, "OrchestrationMode is " + orchestrationMode() + "; an SQS render needs sqs or both");
    }

    /** The three activities, or empty when the stack has none (no ComputeMode=workers state machine). */
    Optional<RenderActivities> activities() {
        if (output(PLAN_ACTIVITY).isEmpty() && output(CHUNK_ACTIVITY).isEmpty() && output(ASSEMBLE_ACTIVITY).isEmpty()) {
            return Optional.empty();
        }
        String why = "a stack with one activity has all three";
        return Optional.of(new RenderActivities(require(PLAN_ACTIVITY, why), require(CHUNK_ACTIVITY, why),
                require(ASSEMBLE_ACTIVITY, why)));
    }

    /** The queues a worker consumes, in the order request, chunk, assemble (empty when the stack has no queues). */
    Optional<List<String>> stepQueues() {
        if (output(REQUEST_QUEUE).isEmpty() && output(CHUNK_QUEUE).isEmpty() && output(ASSEMBLE_QUEUE).isEmpty()) {
            return Optional.empty();
        }
        String why = "a stack with one step queue has all three";
        return Optional.of(List.of(require(REQUEST_QUEUE, why), require(CHUNK_QUEUE, why), require(ASSEMBLE_QUEUE, why)));
    }

    List<String> deadLetterQueues() {
        List<String> out = new ArrayList<>();
        if (stepQueues().isPresent()) {
            for (String k : DEAD_LETTER_QUEUES) {
                out.add(require(k, "a stack with queues has a dead-letter queue for each"));
            }
        }
        return out;
    }

    /** The Lambda memory sizes the cost is billed at, as the template's parameters set them (MB). */
    String memorySummary() {
        if (computeMode().equals("workers")) {
            return "steps run on hf worker machines (ComputeMode=workers): no Lambda compute";
        }
        return "Lambda memory: plan " + parameter("PlanMemoryMb", "3008") + " MB, render-chunk "
                + parameter("LambdaMemoryMb", "10240") + " MB, assemble " + parameter("AssembleMemoryMb", "3008") + " MB";
    }
}
