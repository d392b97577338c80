package dev.hfr.sqs;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import dev.hfr.model.WorkflowInput;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqsSettingsAndQueuesTest {

    @Test
    void backoffDoublesPerReceiveAndIsCapped() {
        SqsSettings s = SqsSettings.defaults();
        assertEquals(5, s.backoffSeconds(1));
        assertEquals(10, s.backoffSeconds(2));
        assertEquals(20, s.backoffSeconds(3));
        assertEquals(900, s.backoffSeconds(30));
        assertEquals(1, s.withRetryBackoffBase(Duration.ofSeconds(1)).backoffSeconds(1));
    }

    @Test
    void queuesComeFromTheEnvironmentAndAMissingOneIsNamed() {
        SqsQueues q = SqsQueues.fromMap(Map.of("HFR_CHUNK_QUEUE_URL", "http://q/chunks", "HFR_REQUEST_QUEUE_URL", " "));
        assertEquals("http://q/chunks", q.urlFor(Step.RENDER_CHUNK));
        RenderException e = assertThrows(RenderException.class, () -> q.urlFor(Step.PLAN));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("HFR_REQUEST_QUEUE_URL"), e.getMessage());
    }

    @Test
    void requestWithoutOutputIsRejectedBeforeSending() {
        WorkflowInput in = new WorkflowInput("s3://b/p.tar.gz", "s3://b/renders/x", null, null, null, null);
        // A null client proves nothing is sent: validation throws first.
        RenderException e = assertThrows(RenderException.class, () -> RenderRequests.send(null, "http://q", in));
        assertEquals(ErrorCode.INVALID_EVENT, e.code());
        assertTrue(e.getMessage().contains("OutputS3Uri"), e.getMessage());
        WorkflowInput badId = new WorkflowInput("s3://b/p.tar.gz", "s3://b/renders/x", "s3://b/o.mp4", null, "../x", null);
        assertTrue(assertThrows(RenderException.class, () -> RenderRequests.send(null, "http://q", badId))
                .getMessage().contains("RenderId"));
    }

    @Test
    void newRenderIdsAreUniqueAndSafeForKeys() {
        String a = RenderRequests.newRenderId();
        String b = RenderRequests.newRenderId();
        assertTrue(a.matches("\\d{8}-\\d{6}-[0-9a-f]{16}"), a);
        assertTrue(!a.equals(b));
    }
}
