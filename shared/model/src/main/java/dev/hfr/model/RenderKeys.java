package dev.hfr.model;

/**
 * Every storage key of a render, built from its prefix ({@code PlanOutputS3Prefix}, or the local
 * work directory, which has the same layout). Chunk numbers are zero-padded so listing order is
 * chunk order.
 * <pre>
 * prefix/plan/manifest.json
 * prefix/plan/artifacts/sha256/ab/abcdef...
 * prefix/chunks/00000.mp4            (png-sequence: 00000.tar)
 * prefix/chunks/00000.done.json      completion marker (SQS mode)
 * prefix/status.json                 progress record (SQS mode)
 * prefix/progress.json               progress document (every mode; versions under prefix/progress/)
 * prefix/cancel.json                 cancel request (every mode)
 * prefix/webhook.json                where the render reports its end (when the input has a Webhook)
 * prefix/assemble.lock               fan-in claim (SQS mode)
 * </pre>
 */
public final class RenderKeys {
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

    public static String chunksPrefix(String prefix) {
        return join(prefix, "chunks");
    }

    public static String chunk(String prefix, int index, OutputFormat format) {
        String ext = format == OutputFormat.PNG_SEQUENCE ? ".tar" : format.extension();
        return join(prefix, "chunks/" + String.format("%05d", index) + ext);
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
