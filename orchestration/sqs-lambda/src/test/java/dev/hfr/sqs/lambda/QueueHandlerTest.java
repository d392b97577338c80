package dev.hfr.sqs.lambda;

import dev.hfr.engine.Engine;
import dev.hfr.function.runtime.LambdaErrors;
import dev.hfr.function.runtime.StepFailure;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueueHandlerTest {
    private static final String BATCH = "{\"Records\":[{\"messageId\":\"m1\",\"body\":\"{}\"}]}";
    private final Engine engine = new Engine(null, e -> {
        throw new AssertionError("a queue handler never runs a step directly");
    }, e -> {
        throw new AssertionError("a queue handler never runs a step directly");
    }, e -> {
        throw new AssertionError("a queue handler never runs a step directly");
    });

    @Test
    void eachHandlerRunsTheBatchOfItsOwnStepOnTheContainersEngine() {
        List<String> calls = new CopyOnWriteArrayList<>();
        QueueHandler.Batch batch = (step, raw, e) -> {
            calls.add(step + "|" + (e == engine) + "|" + raw.length());
            return "{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"}]}";
        };

        String out = new RenderChunkQueueHandler(engine, batch).handle(BATCH);
        new PlanQueueHandler(engine, batch).handle(BATCH);
        new AssembleQueueHandler(engine, batch).handle(BATCH);

        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"}]}", out);
        assertEquals(List.of("renderChunk|true|" + BATCH.length(), "plan|true|" + BATCH.length(),
                "assemble|true|" + BATCH.length()), calls);
    }

    @Test
    void aBatchThatCannotBeReadIsReportedUnderItsCode() {
        QueueHandler h = new PlanQueueHandler(engine, (step, raw, e) -> {
            throw new RenderException(ErrorCode.INVALID_EVENT, "SQS event has no Records array");
        });
        StepFailure f = assertThrows(StepFailure.class, () -> h.handle("{\"Action\":\"plan\"}"));
        assertEquals("INVALID_EVENT", LambdaErrors.reportedErrorType(f));
        assertEquals(Step.PLAN, h.step());
    }
}
