package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.net.URI;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How to reach S3.
 *
 * @param endpoint       endpoint override (LocalStack, MinIO), or null for AWS itself
 * @param region         AWS region name
 * @param forcePathStyle {@code http://host/bucket/key} addressing; needed for LocalStack on {@code localhost}
 * @param allowedBucket  the only bucket steps may touch (HFR_RENDER_BUCKET), or null to allow every bucket
 */
public record StorageConfig(URI endpoint, String region, boolean forcePathStyle, String allowedBucket) {

    public static final String DEFAULT_REGION = "us-east-1";

    public StorageConfig {
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        allowedBucket = allowedBucket == null || allowedBucket.isBlank() ? null : allowedBucket;
    }

    /** Reads HFR_S3_ENDPOINT (else AWS_ENDPOINT_URL), AWS_REGION (default us-east-1) and HFR_RENDER_BUCKET. */
    public static StorageConfig fromEnv() {
        return fromEnv(System::getenv);
    }

    /** {@link #fromEnv()} over any variable lookup, so the rules can be tested without a process environment. */
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
        return new StorageConfig(endpointUri, env.apply("AWS_REGION"), endpointUri != null, env.apply("HFR_RENDER_BUCKET"));
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
