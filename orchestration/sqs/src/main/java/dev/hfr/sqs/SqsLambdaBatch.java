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
    }

    /**
     * @param step         the step whose queue delivered the batch
     * @param rawEventJson the SQS event as Lambda delivers it ({@code {"Records":[...]}})
     * @param queues       the queues, from the container's environment (the handler's cold start reads it)
     * @return {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}}
     */
    public static String handle(Step step, String rawEventJson, Engine engine, SqsQueues queues) {
        return handle(step, rawEventJson, new SqsRenderer(engine, Defaults.SQS, queues, SqsSettings.defaults()));
    }

    /** The same with explicit wiring (tests, or a handler that builds its own client). */
    public static String handle(Step step, String rawEventJson, SqsRenderer renderer) {
        List<Map<String, String>> failures = new ArrayList<>();
        MessageConsumer stepConsumer = null;
        for (Map<?, ?> record : records(rawEventJson)) {
            String messageId = string(record.get("messageId"));
            String source = string(record.get("eventSourceARN"));
            // a record from one of our dead-letter queues (template.yaml names them *-dlq and maps them to the
            // assemble function): mark its render FAILED instead of running the step again
            boolean dead = source != null && source.endsWith(DLQ_SUFFIX);
            String queueUrl = dead ? queueUrlOf(source) : renderer.queues().urlFor(step);
            if (!dead && stepConsumer == null) {
                stepConsumer = renderer.consumer(step);
            }
            MessageConsumer consumer = dead ? renderer.dlqConsumer() : stepConsumer;
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

    /** The dead-letter queues of template.yaml: {@code ${ProjectName}-render-requests-dlq}, {@code -chunks-dlq}, {@code -assemble-dlq}. */
    static final String DLQ_SUFFIX = "-dlq";

    /** arn:aws:sqs:REGION:ACCOUNT:NAME -> https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (the record carries no URL). */
    static String queueUrlOf(String arn) {
        String[] p = arn.split(":", 6);
        if (p.length != 6 || !"sqs".equals(p[2])) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "SQS record eventSourceARN " + arn
                    + " is not an SQS queue ARN (expected arn:aws:sqs:REGION:ACCOUNT:NAME)");
        }
        return "https://sqs." + p[3] + ".amazonaws.com/" + p[4] + "/" + p[5];
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
