package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How to reach S3.
 *
 * @param endpoint       endpoint override (LocalStack, MinIO), or null for AWS itself
 * @param region         AWS region name
 * @param forcePathStyle {@code http://host/bucket/key} addressing; needed for LocalStack on {@code localhost}
 * @param allowedBucket  the only bucket steps may touch (HFR_RENDER_BUCKET), or null to allow every bucket
 * @param outputPrefixes key prefixes of the render bucket an OutputS3Uri may be under besides its own render prefix
 *                       (HFR_OUTPUT_PREFIXES, comma-separated; default {@code outputs/}); see {@link KeyScope}
 * @param projectPrefixes key prefixes of the render bucket a ProjectS3Uri may be under
 *                       (HFR_PROJECT_PREFIXES, comma-separated; default {@code projects/})
 */
public record StorageConfig(URI endpoint, String region, boolean forcePathStyle, String allowedBucket,
                            List<String> outputPrefixes, List<String> projectPrefixes) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final List<String> DEFAULT_OUTPUT_PREFIXES = List.of("outputs/");
    public static final List<String> DEFAULT_PROJECT_PREFIXES = List.of("projects/");

    public StorageConfig {
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        allowedBucket = allowedBucket == null || allowedBucket.isBlank() ? null : allowedBucket;
        outputPrefixes = prefixes("HFR_OUTPUT_PREFIXES", outputPrefixes, DEFAULT_OUTPUT_PREFIXES);
        projectPrefixes = prefixes("HFR_PROJECT_PREFIXES", projectPrefixes, DEFAULT_PROJECT_PREFIXES);
    }

    /** With the default output and project prefixes. */
    public StorageConfig(URI endpoint, String region, boolean forcePathStyle, String allowedBucket) {
        this(endpoint, region, forcePathStyle, allowedBucket, null, null);
    }

    /**
     * From HFR_S3_ENDPOINT (else AWS_ENDPOINT_URL), AWS_REGION (default us-east-1), HFR_RENDER_BUCKET,
     * HFR_OUTPUT_PREFIXES and HFR_PROJECT_PREFIXES, over the variable lookup the composition root passes.
     */
    public static StorageConfig fromEnv(UnaryOperator<String> env) {
        Objects.requireNonNull(env);
        String endpoint = firstNonBlank(env.apply("HFR_S3_ENDPOINT"), env.apply("AWS_ENDPOINT_URL"));
        URI endpointUri = null;
        if (endpoint != null) {
            try {
                endpointUri = URI.create(endpoint.trim());
            } catch (IllegalArgumentException e) {
                throw new RenderException(ErrorCode.INVALID_CONFIG,
                        "HFR_S3_ENDPOINT/AWS_ENDPOINT_URL is not a URI: '" + endpoint + "' (expected e.g. http://127.0.0.1:4566)");
            }
            if (endpointUri.getScheme() == null || endpointUri.getHost() == null) {
                throw new RenderException(ErrorCode.INVALID_CONFIG,
                        "HFR_S3_ENDPOINT/AWS_ENDPOINT_URL needs a scheme and host: '" + endpoint + "' (expected e.g. http://127.0.0.1:4566)");
            }
        }
        // Path style whenever an endpoint is overridden: virtual-host names like bucket.localhost do not resolve.
        return new StorageConfig(endpointUri, env.apply("AWS_REGION"), endpointUri != null, env.apply("HFR_RENDER_BUCKET"),
                split(env.apply("HFR_OUTPUT_PREFIXES")), split(env.apply("HFR_PROJECT_PREFIXES")));
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? null : Arrays.stream(value.split(",")).map(String::trim).toList();
    }

    /**
     * Each prefix is a folder of the bucket ({@code outputs/}, {@code team-a/videos/}): a trailing slash is
     * added, so {@code out} never also admits {@code outside/}; empty, absolute, {@code .}/{@code ..} and
     * {@code renders/} prefixes are refused (the render prefixes have their own rule).
     */
    private static List<String> prefixes(String variable, List<String> given, List<String> defaults) {
        if (given == null || given.isEmpty()) {
            return defaults;
        }
        List<String> out = new java.util.ArrayList<>();
        for (String g : given) {
            String p = g == null ? "" : g.trim();
            p = p.endsWith("/") ? p : p + "/";
            if (p.equals("/") || p.startsWith("/") || !KeyScope.isPlainKey(p.substring(0, p.length() - 1))
                    || p.startsWith(KeyScope.RENDERS_ROOT) || KeyScope.RENDERS_ROOT.startsWith(p)
                    || p.startsWith(KeyScope.RECORDS_ROOT) || KeyScope.RECORDS_ROOT.startsWith(p)) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, variable + " has the prefix '" + g + "': expected"
                        + " comma-separated folders of the render bucket such as outputs/, outside "
                        + KeyScope.RENDERS_ROOT + " and " + KeyScope.RECORDS_ROOT);
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
