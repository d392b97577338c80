package dev.hfr.function.assemble;

import dev.hfr.engine.Engine;
import dev.hfr.engine.Steps;
import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.function.runtime.LambdaErrors;
import dev.hfr.function.runtime.StepFailure;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feeds sample-events/assemble*.json through the handler with a scripted assemble step. */
class AssembleHandlerTest {
    private final List<AssembleEvent> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void quietLog() {
        StepLog.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        StepLog.redirect(System.err);
    }

    static String sample(String name) throws IOException {
        return Files.readString(Path.of(System.getProperty("hfr.repo.root", "../.."), "sample-events", name));
    }

    private Engine engine(Steps.Assemble step) {
        return new Engine(null, e -> {
            throw new AssertionError("plan must not run in the assemble function");
        }, e -> {
            throw new AssertionError("render-chunk must not run in the assemble function");
        }, e -> {
            received.add(e);
            return step.assemble(e);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"assemble.json", "assemble.sfn.json"})
    void sampleEventReachesTheStepAndItsResultComesBack(String file) throws Exception {
        AssembleHandler handler = new AssembleHandler(engine(e -> new AssembleResult("assemble", e.outputS3Uri(),
                4 * 240, 7_654_321L, 3_210)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(sample(file).getBytes(StandardCharsets.UTF_8)), out, null);

        AssembleEvent e = received.get(0);
        assertEquals("assemble", e.action());
        assertEquals("s3://example-bucket/renders/sample/plan/manifest.json", e.planManifestS3Uri());
        assertEquals("3f1c9a0d5b7e2f4a6c8d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d", e.planHash());
        if (file.equals("assemble.sfn.json")) {
            // what the Assemble state sends: no chunk list (the step takes every chunk of the plan and checks it)
            assertEquals(null, e.chunkS3Uris());
            assertEquals(null, e.chunkSha256s());
        } else {
            assertEquals(List.of("s3://example-bucket/renders/sample/chunks/00000.mp4",
                    "s3://example-bucket/renders/sample/chunks/00001.mp4",
                    "s3://example-bucket/renders/sample/chunks/00002.mp4",
                    "s3://example-bucket/renders/sample/chunks/00003.mp4"), e.chunkS3Uris());
        }
        assertEquals("s3://example-bucket/outputs/sample.mp4", e.outputS3Uri());
        assertEquals("mp4", e.format());

        @SuppressWarnings("unchecked")
        Map<String, Object> result = ObjectMapper.getDefault().readValue(out.toByteArray(), Map.class);
        assertEquals("assemble", result.get("Action"));
        assertEquals("s3://example-bucket/outputs/sample.mp4", result.get("OutputS3Uri"));
        assertEquals(960, ((Number) result.get("FramesEncoded")).intValue());
        assertEquals(7_654_321L, ((Number) result.get("FileSize")).longValue());
    }

    @Test
    void incompleteChunksKeepTheirCode() throws IOException {
        AssembleHandler handler = new AssembleHandler(engine(e -> {
            throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "ChunkS3Uris has " + e.chunkS3Uris().size()
                    + " entries, the plan has 5 chunks");
        }));

        StepFailure f = assertThrows(StepFailure.class, () -> handler.handle(sample("assemble.json")));

        assertEquals("CHUNKS_INCOMPLETE", LambdaErrors.reportedErrorType(f));
        assertEquals("ChunkS3Uris has 4 entries, the plan has 5 chunks", f.getMessage());
    }

    @Test
    void unknownActionIsReportedAsInvalidEvent() throws IOException {
        AssembleHandler handler = new AssembleHandler(engine(e -> new AssembleResult("assemble", "x", 0, 0, 0)));
        String event = sample("assemble.sfn.json").replace("\"assemble\"", "\"publish\"");

        StepFailure f = assertThrows(StepFailure.class, () -> handler.handle(event));

        assertEquals("INVALID_EVENT", LambdaErrors.reportedErrorType(f));
        assertTrue(received.isEmpty());
    }
}
