package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;

import java.util.ArrayList;
import java.util.List;

/**
 * Which keys of the render bucket an event URI may name, by what the step does with it. A step event is user
 * input: without this, an event could create objects anywhere in the bucket with the function's role. The rules
 * follow the render's own layout ({@link RenderKeys}):
 * <ul>
 * <li>a <b>render prefix</b> (PlanOutputS3Prefix, the prefix of PlanManifestS3Uri) is a folder under
 *     {@code renders/} (the lifecycle rule's folder), not {@code renders/} itself nor the SQS index
 *     {@code renders/index/};</li>
 * <li>what a step writes for the render (ChunkOutputS3Prefix) and the chunks it reads (ChunkS3Uris) lie under
 *     that render prefix;</li>
 * <li>an output (OutputS3Uri) lies under one of the configured output prefixes ({@code outputs/} by default,
 *     HFR_OUTPUT_PREFIXES) or under the render prefix, outside the render's own plan, chunks, SQS records and
 *     status files;</li>
 * <li>a project (ProjectS3Uri) lies under one of the project prefixes ({@code projects/}, HFR_PROJECT_PREFIXES) or
 *     under the render prefix.</li>
 * </ul>
 * Every key must be plain: no empty, {@code .} or {@code ..} segment (S3 keys are literal, but tools that
 * normalise paths would not agree on where such a key is). Refusals are S3_URI_NOT_ALLOWED naming the field
 * and the allowed prefixes.
 */
public final class KeyScope {
    public static final String RENDERS_ROOT = RenderKeys.RENDERS_ROOT;
    public static final String RECORDS_ROOT = RenderKeys.RECORDS_ROOT;
    private static final String INDEX = RENDERS_ROOT + "index/";

    private final String bucket;
    private final List<String> outputPrefixes;
    private final List<String> projectPrefixes;

    KeyScope(StorageConfig config) {
        this.bucket = config.allowedBucket();
        this.outputPrefixes = config.outputPrefixes();
        this.projectPrefixes = config.projectPrefixes();
    }

    /** A render prefix: a folder under renders/ (not renders/index/). */
    void renderPrefix(String field, StorageUri prefix) {
        String key = prefix.key();
        plain(field, prefix);
        if (!key.startsWith(RENDERS_ROOT) || key.length() == RENDERS_ROOT.length()
                || (key + "/").startsWith(INDEX)) {
            throw refused(field, prefix, "a render prefix must be a folder under s3://" + bucket + "/" + RENDERS_ROOT
                    + " (e.g. s3://" + bucket + "/" + RENDERS_ROOT + "my-render/), other than " + INDEX);
        }
    }

    /** A key the step writes or reads for the render: under the render prefix. */
    void inRender(String field, StorageUri uri, StorageUri renderPrefix) {
        plain(field, uri);
        if (!under(uri.key(), renderPrefix.key(), true)) {
            throw refused(field, uri, "it must be under this render's prefix " + renderPrefix + "/");
        }
    }

    /** An output: under an output prefix, or under the render prefix but outside the render's own files. */
    void output(String field, StorageUri uri, StorageUri renderPrefix) {
        plain(field, uri);
        for (String p : outputPrefixes) {
            if (under(uri.key(), p, false)) {
                return;
            }
        }
        String r = renderPrefix.key() + "/";
        if (uri.key().startsWith(r)) {
            String child = uri.key().substring(r.length());
            boolean reserved = RenderKeys.RESERVED_CHILDREN.stream()
                    .anyMatch(c -> c.endsWith("/") ? child.startsWith(c) : child.equals(c));
            if (!reserved) {
                return;
            }
        }
        throw refused(field, uri, "an output must be under " + list(outputPrefixes) + " or under this render's prefix "
                + renderPrefix + "/ (but not its " + String.join(", ", RenderKeys.RESERVED_CHILDREN) + ")");
    }

    /** A project to read: under a project prefix, or under the render prefix. */
    void project(String field, StorageUri uri, StorageUri renderPrefix) {
        plain(field, uri);
        for (String p : projectPrefixes) {
            if (under(uri.key(), p, false)) {
                return;
            }
        }
        if (renderPrefix != null && under(uri.key(), renderPrefix.key(), false)) {
            return;
        }
        throw refused(field, uri, "a project must be under " + list(projectPrefixes)
                + (renderPrefix == null ? "" : " or under this render's prefix " + renderPrefix + "/"));
    }

    /** True when no segment of {@code key} is empty, {@code .} or {@code ..} (and it has no backslash). */
    static boolean isPlainKey(String key) {
        if (key.isEmpty() || key.indexOf('\\') >= 0) {
            return false;
        }
        for (String s : key.split("/", -1)) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private void plain(String field, StorageUri uri) {
        if (!isPlainKey(uri.key())) {
            throw refused(field, uri, "it is not a plain key (expected folders separated by single slashes, none"
                    + " empty, '.' or '..')");
        }
    }

    /** {@code key} is {@code folder} itself (when allowed) or inside it; {@code folder} with or without a slash. */
    private static boolean under(String key, String folder, boolean itself) {
        String f = folder.endsWith("/") ? folder : folder + "/";
        return key.startsWith(f) || (itself && key.equals(f.substring(0, f.length() - 1)));
    }

    private String list(List<String> prefixes) {
        List<String> uris = new ArrayList<>();
        for (String p : prefixes) {
            uris.add("s3://" + bucket + "/" + p);
        }
        return String.join(" or ", uris);
    }

    private static RenderException refused(String field, StorageUri uri, String rule) {
        return new RenderException(ErrorCode.S3_URI_NOT_ALLOWED, field + " " + uri + " is outside the keys this step"
                + " may touch: " + rule);
    }
}
