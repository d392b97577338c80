package dev.hfr.sqs.internal;

import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;

/**
 * Storage keys the SQS mode adds to {@link RenderKeys} (which holds status.json, the done markers,
 * assemble.lock and failure.json). All sit under {@code <prefix>/sqs/} so a listing of the chunks
 * prefix stays chunks only.
 */
public final class SqsKeys {
    private SqsKeys() {
    }

    /** Taken by the request message that plans this prefix. */
    public static String planClaim(String prefix) {
        return RenderKeys.join(prefix, "sqs/plan.claim.json");
    }

    /** The render's routing context, written once after planning so a redelivered request does not plan again. */
    public static String renderContext(String prefix) {
        return RenderKeys.join(prefix, "sqs/render.json");
    }

    /** Taken by the completion that releases chunk {@code index} (maxParallelChunks). */
    public static String released(String prefix, int index) {
        return RenderKeys.join(prefix, "sqs/released/" + String.format("%05d", index) + ".json");
    }

    /** Taken by the assemble message that runs the assemble step. */
    public static String assembleRun(String prefix) {
        return RenderKeys.join(prefix, "sqs/assemble.run.json");
    }

    /** The assemble result, written once the output is published. */
    public static String assembled(String prefix) {
        return RenderKeys.join(prefix, "sqs/assembled.json");
    }

    /**
     * The durable copy of {@link #assembled}: {@code records/<prefix key>/assembled.json}, outside {@code renders/},
     * so no lifecycle rule expires it and a redrive of a finished render, however late, renders nothing.
     */
    public static String durableAssembled(String prefix) {
        return RenderKeys.durable(prefix, "assembled.json");
    }

    /** Where the status record's versions live ({@code 0000000001.json}, ...); {@code status.json} is the published copy of the newest. */
    public static String statusVersions(String prefix) {
        return RenderKeys.join(prefix, "sqs/status/");
    }


    /**
     * Where the request's index object lives: {@code s3://bucket/renders/index/<id>.json} for S3 prefixes,
     * {@code <parent of prefix>/renders/index/<id>.json} for local ones.
     */
    public static StorageUri index(String prefix, String renderId) {
        return indexRoot(prefix).resolve("renders/index/" + renderId + ".json");
    }

    public static StorageUri indexRoot(String prefix) {
        StorageUri p = StorageUri.parse(prefix);
        if (p.isS3()) {
            return new StorageUri("s3", p.bucket(), "");
        }
        java.nio.file.Path parent = p.path().getParent();
        return StorageUri.parse(parent == null ? p.path().toString() : parent.toString());
    }

    public static StorageUri uri(String key) {
        return StorageUri.parse(key);
    }
}
