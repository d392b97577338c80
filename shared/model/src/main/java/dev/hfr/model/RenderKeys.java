package dev.hfr.model;

/**
 * Every storage key of a render, built from its prefix ({@code PlanOutputS3Prefix}, or the local
 * work directory, which has the same layout). Chunk numbers are zero-padded so listing order is
 * chunk order.
 * <pre>
 * prefix/plan/manifest.json
 * prefix/plan/artifacts/sha256/ab/abcdef...
 * prefix/plan/chunks.json            the chunk list: [{"ChunkIndex":0},...] (the Distributed Map's ItemReader)
 * prefix/chunks/00000.mp4            (png-sequence: 00000.tar)
 * prefix/chunks/00000.sha256        the chunk's sha256 (hex), written by its render-chunk step after the chunk
 * prefix/chunks/00000.done.json      completion marker (SQS mode)
 * prefix/status.json                 progress record (SQS mode)
 * prefix/progress.json               progress document (every mode; versions under prefix/progress/)
 * prefix/cancel.json                 cancel request (every mode)
 * prefix/webhook.json                where the render reports its end (when the input has a Webhook)
 * prefix/assemble.lock               fan-in claim (SQS mode)
 * prefix/published.json              the output's publication record (local prefixes)
 * s3://bucket/records/KEY/published.json   the same for an S3 prefix s3://bucket/KEY: outside renders/, so the
 *                                    lifecycle rule that expires intermediates never expires it
 * </pre>
 */
public final class RenderKeys {
    /** Where S3 render prefixes live in a render bucket: the folder the lifecycle rule expires. */
    public static final String RENDERS_ROOT = "renders/";
    /** Durable per-render records (never expired): a render that published stays published. */
    public static final String RECORDS_ROOT = "records/";
    /** What a render prefix holds besides its chunks: an output under the prefix must not be one of these. */
    public static final java.util.List<String> RESERVED_CHILDREN = java.util.List.of("plan/", "chunks/", "sqs/",
            "status.json", "assemble.lock", "published.json", "failure.json", "progress.json", "progress/", "cancel.json",
            "webhook.json");

    private RenderKeys() {
    }

    public static String planManifest(String prefix) {
        return join(prefix, "plan/manifest.json");
    }

    public static String planArtifactsPrefix(String prefix) {
        return join(prefix, "plan/artifacts/sha256");
    }

    public static String planArtifact(String prefix, String sha256) {
        return join(planArtifactsPrefix(prefix), sha256.substring(0, 2) + "/" + sha256);
    }

    /** The plan's chunk list, read by the Step Functions Distributed Map ({@link ChunkSlicer#chunkListJson}). */
    public static String chunkList(String prefix) {
        return join(prefix, "plan/chunks.json");
    }

    public static String chunksPrefix(String prefix) {
        return join(prefix, "chunks");
    }

    public static String chunk(String prefix, int index, OutputFormat format) {
        String ext = format == OutputFormat.PNG_SEQUENCE ? ".tar" : format.extension();
        return join(prefix, "chunks/" + String.format("%05d", index) + ext);
    }

    /**
     * The digest record of chunk {@code index}: its sha256 in hex, written by the render-chunk step right after
     * the chunk. Assemble checks each chunk against it when the event carries no {@code ChunkSha256s} (Step
     * Functions: the chunk results stay out of the execution state).
     */
    public static String chunkDigest(String prefix, int index) {
        return join(prefix, "chunks/" + String.format("%05d", index) + ".sha256");
    }

    public static String chunkDone(String prefix, int index) {
        return join(prefix, "chunks/" + String.format("%05d", index) + ".done.json");
    }

    public static String status(String prefix) {
        return join(prefix, "status.json");
    }

    /** The published copy of the render's progress document. */
    public static String progress(String prefix) {
        return join(prefix, "progress.json");
    }

    /** Where the progress document's versions live ({@code 0000000001.json}, ...). */
    public static String progressVersions(String prefix) {
        return join(prefix, "progress/");
    }

    /** The render's webhook (URL, secret, custom data), written once by the plan step; never shown by hf progress. */
    public static String webhook(String prefix) {
        return join(prefix, "webhook.json");
    }

    /** The render's poster: its middle frame as PNG, written by the assemble step before it publishes. */
    public static String poster(String prefix) {
        return join(prefix, "poster.png");
    }

    /** The render's contact sheet (a 4x3 grid of thumbnails), written by the assemble step before it publishes. */
    public static String contactSheet(String prefix) {
        return join(prefix, "contact-sheet.png");
    }

    /** The render's deadline, written once by its first plan step; every step checks it. */
    public static String deadline(String prefix) {
        return join(prefix, "deadline.json");
    }

    /** Written once by whoever cancels the render; every step checks for it. */
    public static String cancel(String prefix) {
        return join(prefix, "cancel.json");
    }

    public static String assembleLock(String prefix) {
        return join(prefix, "assemble.lock");
    }

    /** The record of where a render's output was published: written once, before the output itself. */
    public static String publication(String prefix) {
        return join(prefix, "published.json");
    }

    /**
     * The durable publication record of a render: for {@code s3://bucket/KEY} it is
     * {@code s3://bucket/records/KEY/published.json}, which no lifecycle rule expires, so a redelivery or redrive
     * long after the render's intermediates expired still finds that it published; a local prefix keeps it inside.
     */
    public static String durablePublication(String prefix) {
        return durable(prefix, "published.json");
    }

    /** A durable record {@code name} of the render at {@code prefix} (see {@link #durablePublication}). */
    public static String durable(String prefix, String name) {
        if (prefix.startsWith("s3://")) {
            StorageUri p = StorageUri.parse(prefix);
            return join("s3://" + p.bucket() + "/" + RECORDS_ROOT + p.key(), name);
        }
        return join(prefix, name);
    }

    public static String failure(String prefix) {
        return join(prefix, "failure.json");
    }

    /** The plan prefix of a manifest URI ({@code .../plan/manifest.json} → {@code ...}). */
    public static String prefixOfManifest(String manifestUri) {
        String suffix = "/plan/manifest.json";
        if (!manifestUri.endsWith(suffix)) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "PlanManifestS3Uri must end with " + suffix + ": " + manifestUri);
        }
        return manifestUri.substring(0, manifestUri.length() - suffix.length());
    }

    public static String join(String prefix, String child) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        String c = child.startsWith("/") ? child.substring(1) : child;
        return p + "/" + c;
    }
}
