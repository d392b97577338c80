package dev.hfr.sqs;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.WorkflowInput;
import dev.hfr.sqs.internal.Json;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Starts renders in SQS mode ({@code hf submit}): one WorkflowInput message on the render-requests queue. */
public final class RenderRequests {
    private static final Pattern RENDER_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RenderRequests() {
    }

    /**
     * Validates the input, gives it a RenderId if it has none, sends it and returns the render id.
     * Throws RenderException(INVALID_EVENT / INVALID_CONFIG) naming the bad field before anything is sent.
     */
    public static String send(SqsClient sqs, String requestQueueUrl, WorkflowInput input) {
        requireFields(input);
        if (input.config() != null) {
            input.config().validated();
        }
        if (input.webhook() != null && !input.webhook().violations("Webhook").isEmpty()) {
            throw new dev.hfr.model.InvalidConfigException(input.webhook().violations("Webhook"));
        }
        String id = input.renderId() == null || input.renderId().isBlank() ? newRenderId() : input.renderId();
        WorkflowInput body = new WorkflowInput(input.projectS3Uri(), input.planOutputS3Prefix(), input.outputS3Uri(),
                input.config(), id, input.planProtocol(), input.webhook());
        sqs.sendMessage(b -> b.queueUrl(requestQueueUrl).messageBody(Json.write(body)));
        return id;
    }

    /** A new id: sortable by submit time, 64 random bits against collisions. */
    public static String newRenderId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + HexFormat.of().formatHex(b);
    }

    /** The id a request without RenderId gets: derived from its message id, so redeliveries agree on it. */
    static String renderIdForMessage(String messageId) {
        return "m-" + messageId.replaceAll("[^A-Za-z0-9._-]", "");
    }

    static void requireFields(WorkflowInput in) {
        require(in.projectS3Uri(), "ProjectS3Uri", "the project archive, e.g. s3://bucket/projects/p.tar.gz");
        require(in.planOutputS3Prefix(), "PlanOutputS3Prefix", "the render's work prefix, e.g. s3://bucket/renders/r1");
        require(in.outputS3Uri(), "OutputS3Uri", "where the video goes, e.g. s3://bucket/outputs/r1.mp4");
        if (in.renderId() != null && !in.renderId().isBlank() && !RENDER_ID.matcher(in.renderId()).matches()) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "RenderId \"" + in.renderId()
                    + "\" is not allowed: expected 1-128 characters of A-Z a-z 0-9 . _ - starting with a letter or digit");
        }
    }

    private static void require(String value, String field, String expected) {
        if (value == null || value.isBlank()) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "render request has no " + field + ": expected " + expected);
        }
    }
}
