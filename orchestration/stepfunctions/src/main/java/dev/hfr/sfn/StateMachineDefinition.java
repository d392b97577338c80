package dev.hfr.sfn;

import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The render state machine, defined once in {@code statemachine/render.asl.json} (the file SAM deploys through
 * {@code DefinitionUri}) and transformed here for the other ways we run it: with Lambda ARNs substituted, or with
 * activity ARNs so LocalStack (which cannot run Java Lambdas without Docker) and long-running workers execute
 * the very same states, retries and catches.
 */
public final class StateMachineDefinition {
    /** Classpath location of the shipped definition. */
    public static final String RESOURCE = "statemachine/render.asl.json";
    public static final String PLAN_FUNCTION_ARN = "PlanFunctionArn";
    public static final String RENDER_CHUNK_FUNCTION_ARN = "RenderChunkFunctionArn";
    public static final String ASSEMBLE_FUNCTION_ARN = "AssembleFunctionArn";
    public static final List<String> SUBSTITUTIONS =
            List.of(PLAN_FUNCTION_ARN, RENDER_CHUNK_FUNCTION_ARN, ASSEMBLE_FUNCTION_ARN);
    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");

    private final String json;

    private StateMachineDefinition(String json) {
        this.json = json;
    }

    /** Loads the shipped definition from the classpath. */
    public static StateMachineDefinition load() {
        try (InputStream in = StateMachineDefinition.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + RESOURCE + " is missing from this jar");
            }
            return new StateMachineDefinition(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Wraps a definition text, e.g. one already transformed with {@link #withRetryIntervalSeconds(int)}. */
    public static StateMachineDefinition of(String json) {
        parse(json);
        return new StateMachineDefinition(json);
    }

    /** The definition as shipped, with its {@code ${...}} DefinitionSubstitutions placeholders. */
    public String raw() {
        return json;
    }

    /** The placeholders the definition uses, e.g. {@code PlanFunctionArn}, in order of first use. */
    public List<String> placeholders() {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(json);
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * The definition with {@code ${PlanFunctionArn}}, {@code ${RenderChunkFunctionArn}} and
     * {@code ${AssembleFunctionArn}} replaced, as CloudFormation's DefinitionSubstitutions would.
     *
     * @throws IllegalArgumentException naming every placeholder without a value
     */
    public String forLambdas(Map<String, String> arns) {
        List<String> missing = placeholders().stream().filter(p -> arns.get(p) == null || arns.get(p).isBlank()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no ARN given for DefinitionSubstitutions " + missing
                    + " (expected keys " + SUBSTITUTIONS + ")");
        }
        Matcher m = PLACEHOLDER.matcher(json);
        StringBuilder out = new StringBuilder(json.length() + 256);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(arns.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The same definition with every {@code lambda:invoke} Task turned into an activity Task: Resource becomes
     * the activity ARN for that step, the Lambda {@code Payload} becomes the task input ({@code "Payload.$": "$"}
     * means the state input as it is), and result selectors read the result itself instead of
     * {@code $.Payload}. Retry, Catch and every other state stay as shipped.
     */
    public String forActivities(String planArn, String chunkArn, String assembleArn) {
        Map<String, String> byPlaceholder = Map.of(
                "${" + PLAN_FUNCTION_ARN + "}", Objects.requireNonNull(planArn, "planArn"),
                "${" + RENDER_CHUNK_FUNCTION_ARN + "}", Objects.requireNonNull(chunkArn, "chunkArn"),
                "${" + ASSEMBLE_FUNCTION_ARN + "}", Objects.requireNonNull(assembleArn, "assembleArn"));
        Map<String, Object> root = parse(json);
        forEachState(root, (name, state) -> {
            if (!"Task".equals(state.get("Type")) || !LAMBDA_INVOKE.equals(state.get("Resource"))) {
                return;
            }
            Map<String, Object> params = asMap(state.get("Parameters"), name + ".Parameters");
            String function = String.valueOf(params.get("FunctionName"));
            String activity = byPlaceholder.get(function);
            if (activity == null) {
                throw new IllegalStateException("Task " + name + " invokes " + function
                        + ", expected one of " + byPlaceholder.keySet());
            }
            state.put("Resource", activity);
            if (params.get("Payload") instanceof Map<?, ?> payload) {
                state.put("Parameters", payload);
            } else if ("$".equals(params.get("Payload.$"))) {
                state.remove("Parameters");
            } else if (params.get("Payload.$") instanceof String path) {
                // an activity gets the bare event, as the function's Payload would be: select it with InputPath
                state.remove("Parameters");
                state.put("InputPath", path);
            } else {
                state.remove("Parameters");
            }
            if (state.get("ResultSelector") instanceof Map<?, ?> selector) {
                Map<String, Object> rewritten = new LinkedHashMap<>();
                selector.forEach((k, v) -> rewritten.put(String.valueOf(k),
                        v instanceof String s ? unwrapPayloadPath(s) : v));
                state.put("ResultSelector", rewritten);
            }
        });
        return write(root);
    }

    /**
     * A copy whose every Retry rule waits {@code intervalSeconds} first (tests keep backoff short; the shipped
     * numbers stay in the file). MaxDelaySeconds is capped to stay consistent.
     */
    public StateMachineDefinition withRetryIntervalSeconds(int intervalSeconds) {
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("intervalSeconds must be >= 1 (the ASL minimum), got " + intervalSeconds);
        }
        Map<String, Object> root = parse(json);
        forEachState(root, (name, state) -> {
            if (state.get("Retry") instanceof List<?> rules) {
                for (Object rule : rules) {
                    Map<String, Object> r = asMap(rule, name + ".Retry");
                    if (r.containsKey("IntervalSeconds")) {
                        r.put("IntervalSeconds", intervalSeconds);
                    }
                }
            }
        });
        return new StateMachineDefinition(write(root));
    }

    /**
     * A copy where Task {@code taskName} fails with States.Timeout unless a heartbeat arrives every
     * {@code heartbeatSeconds}: for activity deployments whose chunks run for a long time, so a dead worker is
     * noticed in seconds instead of at the execution timeout. Workers must then be started with
     * {@link ActivityWorker.Options#heartbeatInterval()} well below it.
     */
    public StateMachineDefinition withHeartbeatSeconds(String taskName, int heartbeatSeconds) {
        if (heartbeatSeconds < 1) {
            throw new IllegalArgumentException("heartbeatSeconds must be >= 1, got " + heartbeatSeconds);
        }
        Map<String, Object> root = parse(json);
        boolean[] found = {false};
        forEachState(root, (name, state) -> {
            if (name.equals(taskName) && "Task".equals(state.get("Type"))) {
                state.put("HeartbeatSeconds", heartbeatSeconds);
                found[0] = true;
            }
        });
        if (!found[0]) {
            throw new IllegalArgumentException("no Task state named " + taskName + " in " + RESOURCE);
        }
        return new StateMachineDefinition(write(root));
    }

    /** Every state of the definition, nested ones (Map ItemProcessor, Parallel branches) included. */
    public Map<String, Map<String, Object>> states() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        forEachState(parse(json), all::put);
        return all;
    }

    private static String unwrapPayloadPath(String path) {
        if (path.equals("$.Payload")) {
            return "$";
        }
        return path.startsWith("$.Payload.") ? "$." + path.substring("$.Payload.".length()) : path;
    }

    static void forEachState(Map<String, Object> machine, BiConsumer<String, Map<String, Object>> visitor) {
        Map<String, Object> states = asMap(machine.get("States"), "States");
        for (Map.Entry<String, Object> e : states.entrySet()) {
            Map<String, Object> state = asMap(e.getValue(), e.getKey());
            visitor.accept(e.getKey(), state);
            Object processor = state.containsKey("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
            if (processor != null) {
                forEachState(asMap(processor, e.getKey() + ".ItemProcessor"), visitor);
            }
            if (state.get("Branches") instanceof List<?> branches) {
                for (Object b : branches) {
                    forEachState(asMap(b, e.getKey() + ".Branches"), visitor);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o, String where) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalStateException("state machine definition: " + where + " is not a JSON object");
    }

    /** A JSON object node of a parsed definition, for tools and tests that transform it further. */
    static Map<String, Object> map(Object node) {
        return asMap(node, "node");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String text) {
        try {
            Object o = ObjectMapper.getDefault().readValue(text, Object.class);
            if (o instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            throw new IllegalArgumentException("state machine definition is not a JSON object");
        } catch (IOException e) {
            throw new IllegalArgumentException("state machine definition is not valid JSON: " + e.getMessage(), e);
        }
    }

    static String write(Object tree) {
        try {
            return ObjectMapper.getDefault().writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
