package dev.hfr.sqs;

import dev.hfr.engine.Engine;
import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import dev.hfr.sqs.internal.Json;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the SQS mode's Lambda handlers ({@code dev.hfr.sqs.lambda}, module orchestration/sqs-lambda) call: runs the step's consumer on every record of an SQS event and returns
 * the partial-batch response, naming only the records to retry. The function's event source mapping must
 * enable {@code ReportBatchItemFailures}.
 */
public final class SqsLambdaBatch {
    private SqsLambdaBatch() {
    }

    /** Lazily built so a cold start that never needs SQS does not pay for the client. */
    private static final class Defaults {
        static final SqsClient SQS = SqsClient.create();
        static final SqsQueues QUEUES = SqsQueues.fromEnv();
    }

    /**
     * @param step         the step whose queue delivered the batch
     * @param rawEventJson the SQS event as Lambda delivers it ({@code {"Records":[...]}})
     * @return {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}}
     */
    public static String handle(Step step, String rawEventJson, Engine engine) {
        return handle(step, rawEventJson, new SqsRenderer(engine, Defaults.SQS, Defaults.QUEUES, SqsSettings.defaults()));
    }

    /** The same with explicit wiring (tests, or a handler that builds its own client). */
    public static String handle(Step step, String rawEventJson, SqsRenderer renderer) {
        String queueUrl = renderer.queues().urlFor(step);
        MessageConsumer consumer = renderer.consumer(step);
        List<Map<String, String>> failures = new ArrayList<>();
        for (Map<?, ?> record : records(rawEventJson)) {
            String messageId = string(record.get("messageId"));
            Delivery d = new Delivery(queueUrl, messageId, string(record.get("receiptHandle")),
                    string(record.get("body")), receiveCount(record));
            MessageConsumer.Outcome outcome;
            try {
                outcome = consumer.consume(d);
            } catch (RuntimeException e) {
                // a consumer is meant to turn every failure into an outcome; one that escapes is logged, never
                // swallowed, and the message goes back to the queue (its redrive policy ends in the DLQ)
                StepLog.failure(new StepLog.Context("sqs-batch"), 0, RenderException.wrap(e));
                outcome = MessageConsumer.Outcome.RETRY;
            }
            if (!outcome.delete()) {
                failures.add(Map.of("itemIdentifier", messageId == null ? "" : messageId));
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("batchItemFailures", failures);
        return Json.write(response);
    }

    private static List<Map<?, ?>> records(String raw) {
        Map<?, ?> event = Json.read(raw, Map.class, "SQS event");
        if (!(event.get("Records") instanceof List<?> list)) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "SQS event has no Records array: expected {\"Records\":[...]}");
        }
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) {
                out.add(m);
            } else {
                throw new RenderException(ErrorCode.INVALID_EVENT, "SQS event record is not an object: " + o);
            }
        }
        return out;
    }

    private static int receiveCount(Map<?, ?> record) {
        if (record.get("attributes") instanceof Map<?, ?> a && a.get("ApproximateReceiveCount") != null) {
            try {
                return Integer.parseInt(String.valueOf(a.get("ApproximateReceiveCount")).trim());
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        return 1;
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
