package dev.hfr.sqs;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;

/**
 * The three queues of the SQS mode. Any of them may be unset when a process only needs some (the
 * assemble Lambda never sends a chunk message); {@link #require} names the missing variable.
 */
public record SqsQueues(@Nullable String requestQueueUrl, @Nullable String chunkQueueUrl,
                        @Nullable String assembleQueueUrl) {
    public static final String REQUEST_ENV = "HFR_REQUEST_QUEUE_URL";
    public static final String CHUNK_ENV = "HFR_CHUNK_QUEUE_URL";
    public static final String ASSEMBLE_ENV = "HFR_ASSEMBLE_QUEUE_URL";

    /** From {@value #REQUEST_ENV}, {@value #CHUNK_ENV} and {@value #ASSEMBLE_ENV} in the environment the edge read. */
    public static SqsQueues fromMap(Map<String, String> env) {
        return new SqsQueues(blankToNull(env.get(REQUEST_ENV)), blankToNull(env.get(CHUNK_ENV)),
                blankToNull(env.get(ASSEMBLE_ENV)));
    }

    /** The queue a step consumes: plan reads requests, renderChunk reads chunks, assemble reads assemble. */
    public String urlFor(Step step) {
        return switch (step) {
            case PLAN -> require(requestQueueUrl, REQUEST_ENV);
            case RENDER_CHUNK -> require(chunkQueueUrl, CHUNK_ENV);
            case ASSEMBLE -> require(assembleQueueUrl, ASSEMBLE_ENV);
        };
    }

    public String chunkQueue() {
        return require(chunkQueueUrl, CHUNK_ENV);
    }

    public String assembleQueue() {
        return require(assembleQueueUrl, ASSEMBLE_ENV);
    }

    public String requestQueue() {
        return require(requestQueueUrl, REQUEST_ENV);
    }

    static String require(String url, String env) {
        if (url == null) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "queue URL " + env
                    + " is not set: expected an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/hfr-chunks");
        }
        return url;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
