package dev.hfr.model;

import java.net.URI;
import java.nio.file.Path;

/**
 * A location in storage: {@code s3://bucket/key}, {@code file:///abs/path} or a plain local path.
 * Prefixes are written without a trailing slash; {@link #resolve(String)} joins with exactly one.
 */
public record StorageUri(String scheme, String bucket, String key) {

    public static StorageUri parse(String s) {
        if (s == null || s.isBlank()) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "empty storage URI");
        }
        if (s.startsWith("s3://")) {
            String rest = s.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            if (bucket.isEmpty()) {
                throw new RenderException(ErrorCode.INVALID_EVENT, "S3 URI has no bucket: " + s);
            }
            return new StorageUri("s3", bucket, stripSlashes(key));
        }
        if (s.startsWith("file:")) {
            return new StorageUri("file", "", Path.of(URI.create(s)).toAbsolutePath().normalize().toString());
        }
        if (s.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "unsupported storage URI scheme (use s3:// or a local path): " + s);
        }
        return new StorageUri("file", "", Path.of(s).toAbsolutePath().normalize().toString());
    }

    public boolean isS3() {
        return "s3".equals(scheme);
    }

    public Path path() {
        if (isS3()) {
            throw new IllegalStateException("not a local path: " + this);
        }
        return Path.of(key);
    }

    public StorageUri resolve(String child) {
        String c = stripSlashes(child);
        if (isS3()) {
            return new StorageUri(scheme, bucket, key.isEmpty() ? c : key + "/" + c);
        }
        return new StorageUri(scheme, bucket, Path.of(key).resolve(c).normalize().toString());
    }

    /** The last path segment. */
    public String name() {
        String k = stripSlashes(key);
        int i = k.lastIndexOf('/');
        return i < 0 ? k : k.substring(i + 1);
    }

    @Override
    public String toString() {
        return isS3() ? "s3://" + bucket + "/" + key : key;
    }

    private static String stripSlashes(String k) {
        int a = 0;
        int b = k.length();
        while (a < b && k.charAt(a) == '/') {
            a++;
        }
        while (b > a && k.charAt(b - 1) == '/') {
            b--;
        }
        return k.substring(a, b);
    }
}
