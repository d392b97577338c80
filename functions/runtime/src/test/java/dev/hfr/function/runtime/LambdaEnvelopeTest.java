package dev.hfr.function.runtime;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LambdaEnvelopeTest {
    private final LambdaEnvelope envelope = new LambdaEnvelope();

    @Test
    void peelsStepFunctionsPayloadAndInputUpToFourLevels() {
        String event = "{\"Payload\":{\"Input\":{\"Payload\":{\"Action\":\"renderChunk\",\"ChunkIndex\":2}}}}";
        assertEquals(Map.of("Action", "renderChunk", "ChunkIndex", 2), envelope.unwrapTree(event, "event"));
    }

    @Test
    void aPayloadGivenAsAJsonStringIsParsed() {
        String event = "{\"Payload\":\"{\\\"ProjectS3Uri\\\":\\\"s3://b/p.tar.gz\\\"}\"}";
        assertEquals("{\"ProjectS3Uri\":\"s3://b/p.tar.gz\"}", envelope.unwrap(event, "event"));
    }

    @Test
    void aLevelWithAStepFieldIsTheEventEvenIfItHasAnInputField() {
        String event = "{\"Payload\":{\"PlanManifestS3Uri\":\"s3://b/m\",\"Input\":{\"x\":1}}}";
        assertEquals(Map.of("PlanManifestS3Uri", "s3://b/m", "Input", Map.of("x", 1)), envelope.unwrapTree(event, "e"));
    }

    @Test
    void stopsAfterFourLevels() {
        String event = "{\"Payload\":{\"Payload\":{\"Payload\":{\"Payload\":{\"Payload\":{\"Action\":\"plan\"}}}}}}";
        assertEquals(Map.of("Payload", Map.of("Action", "plan")), envelope.unwrapTree(event, "e"));
    }

    @Test
    void invalidJsonIsAnInvalidEventNamingWhatWasRead() {
        RenderException e = assertThrows(RenderException.class, () -> envelope.unwrapTree("{\"Payload\":", "the plan event"));
        assertEquals(ErrorCode.INVALID_EVENT, e.code());
        assertEquals(true, e.getMessage().startsWith("the plan event is not valid JSON"), e.getMessage());
    }
}
