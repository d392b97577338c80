package dev.hfr.function.runtime;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.util.Map;

/**
 * What a Lambda invocation wraps around a step event. Step Functions' {@code lambda:invoke} and the console
 * deliver the event as {@code {"Payload": {...}}}, and a Distributed Map item as {@code {"Input": {...}}}
 * (either may be a JSON string); this peels up to four such levels off so the engine only ever sees the bare
 * step event. A level that carries a step field ({@code Action}, {@code ProjectS3Uri},
 * {@code PlanManifestS3Uri}) is the event itself and is never peeled.
 */
public final class LambdaEnvelope {
    static final int MAX_LEVELS = 4;

    private final ObjectMapper json = ObjectMapper.getDefault();

    /** The event inside the envelope, as a parsed JSON tree. */
    public Object unwrapTree(String rawJson, String what) {
        Object node = read(rawJson, what);
        for (int i = 0; i < MAX_LEVELS && node instanceof Map<?, ?> m; i++) {
            if (m.containsKey("Action") || m.containsKey("ProjectS3Uri") || m.containsKey("PlanManifestS3Uri")) {
                break;
            }
            Object inner = m.containsKey("Payload") ? m.get("Payload") : m.get("Input");
            if (inner == null) {
                break;
            }
            node = inner instanceof String s ? read(s, what) : inner;
        }
        return node;
    }

    /** The event inside the envelope, as JSON text. */
    public String unwrap(String rawJson, String what) {
        try {
            return json.writeValueAsString(unwrapTree(rawJson, what));
        } catch (IOException e) {
            throw new RenderException(ErrorCode.INVALID_EVENT, what + " cannot be written back as JSON: "
                    + e.getMessage(), e);
        }
    }

    private Object read(String s, String what) {
        try {
            return json.readValue(s, Object.class);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.INVALID_EVENT, what + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
