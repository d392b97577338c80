package dev.hfr.sqs;

import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sample-events/render-chunk.sqs.json through the real chunk consumer, as the Lambda SQS adapter runs it. */
@Tag("integration")
class SampleSqsEventTest {
    @RegisterExtension
    final CapturedStepLog log = new CapturedStepLog();

    @Test
    void renderChunkSampleIsAcceptedAndRendersItsChunk() throws Exception {
        try (SqsFixture f = new SqsFixture(30, 3)) {
            String event = f.sampleEvent("render-chunk.sqs.json");
            ScriptedSteps steps = new ScriptedSteps(f.storage);

            String response = SqsLambdaBatch.handle(dev.hfr.model.Step.RENDER_CHUNK, event, f.renderer(steps));

            assertEquals("{\"batchItemFailures\":[]}", response, "the sample must be consumed, not retried; log: " + log);
            assertEquals(1, steps.chunkCalls("sample", 3), "chunk 3 of render sample reached the step; log: " + log);
            String prefix = "s3://" + f.bucket + "/renders/sample/";
            assertTrue(f.storage.exists(StorageUri.parse(RenderKeys.chunkDone(prefix, 3))), "completion marker of chunk 3");
            assertTrue(!log.toString().contains("INVALID_EVENT"), log.toString());
        }
    }
}
