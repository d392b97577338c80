package dev.hfr.sqs;

import dev.hfr.model.ErrorCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dead chunk message delivered to the assemble function from the chunk DLQ (template.yaml's
 * ChunkDeadLetterEventSource) records the render FAILED with step, chunk and code, where it would otherwise stay
 * RENDERING forever; the assemble step itself must not run.
 */
@Tag("integration")
class DeadLetterLambdaTest {
    @RegisterExtension
    final CapturedStepLog log = new CapturedStepLog();

    @Test
    void deadChunkRecordFailsItsRenderWithTheChunkAndCode() throws Exception {
        try (SqsFixture f = new SqsFixture(30, 3)) {
            String event = f.sampleEvent("render-chunk.sqs.json")
                    .replace("arn:aws:sqs:us-east-1:123456789012:hfr-chunks", "arn:aws:sqs:us-east-1:123456789012:hfr-chunks-dlq");
            ScriptedSteps steps = new ScriptedSteps(f.storage);

            String response = SqsLambdaBatch.handle(dev.hfr.model.Step.ASSEMBLE, event, f.renderer(steps));

            assertEquals("{\"batchItemFailures\":[]}", response, "recorded, so deleted from the DLQ; log: " + log);
            assertEquals(0, steps.chunkCalls.size() + steps.assembles.size(), "no step runs for a dead message");
            RenderStatus s = f.awaitStatus("s3://" + f.bucket + "/renders/sample/", RenderStatus.Status.FAILED,
                    Duration.ofSeconds(10));
            assertNotNull(s.failure(), "failure recorded");
            assertEquals(ErrorCode.TIMEOUT.name(), s.failure().code(), "no error was recorded for the chunk: TIMEOUT");
            assertEquals(3, s.failure().chunk());
            assertTrue(s.failure().message().contains("renderChunk message") && s.failure().message().contains("dead-letter"),
                    s.failure().message());
        }
    }

    @Test
    void queueUrlOfAnArn() {
        assertEquals("https://sqs.eu-west-1.amazonaws.com/123456789012/hfr-chunks-dlq",
                SqsLambdaBatch.queueUrlOf("arn:aws:sqs:eu-west-1:123456789012:hfr-chunks-dlq"));
    }
}
