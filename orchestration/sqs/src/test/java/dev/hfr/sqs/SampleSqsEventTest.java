package dev.hfr.sqs;

import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sample-events/render-chunk.sqs.json through the real chunk consumer, as the Lambda SQS adapter runs it. */
@Tag("integration")
class SampleSqsEventTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        StepLog.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        StepLog.redirect(System.err);
    }

    @Test
    void renderChunkSampleIsAcceptedAndRendersItsChunk() throws Exception {
        String sample = Files.readString(Path.of(System.getProperty("hfr.repo.root", "../.."),
                "sample-events", "render-chunk.sqs.json"));
        try (SqsFixture f = new SqsFixture(30, 3)) {
            // the sample's bucket is a placeholder: the fixture's stands in for it
            String event = sample.replace("example-bucket", f.bucket);
            ScriptedSteps steps = new ScriptedSteps(f.storage);

            String response = SqsLambdaBatch.handle(dev.hfr.model.Step.RENDER_CHUNK, event, f.renderer(steps));

            assertEquals("{\"batchItemFailures\":[]}", response, "the sample must be consumed, not retried; log: " + log);
            assertEquals(1, steps.chunkCalls("sample", 3), "chunk 3 of render sample reached the step; log: " + log);
            String prefix = "s3://" + f.bucket + "/renders/sample/";
            assertTrue(f.storage.exists(StorageUri.parse(RenderKeys.chunkDone(prefix, 3))), "completion marker of chunk 3");
            assertTrue(!log.toString(StandardCharsets.UTF_8).contains("INVALID_EVENT"), log.toString(StandardCharsets.UTF_8));
        }
    }
}
