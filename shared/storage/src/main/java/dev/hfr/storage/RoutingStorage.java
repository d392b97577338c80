package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@link Storage} steps use: {@code s3://} URIs go to an {@link S3Storage} (built on first use, so
 * local renders never need AWS credentials), everything else to {@link LocalStorage}.
 *
 * <p>Every S3 URI must be inside {@link StorageConfig#allowedBucket()} when one is configured: an event is
 * user input, and a step must not read or write another bucket with the function's role. Without an allowed
 * bucket (local development) every bucket is accepted.
 */
public final class RoutingStorage implements Storage, AutoCloseable {

    private final StorageConfig config;
    private final LocalStorage local = new LocalStorage();
    private final Supplier<? extends Storage> s3Factory;
    private volatile Storage s3;

    public RoutingStorage(StorageConfig config) {
        this(config, () -> S3Storage.create(config));
    }

    /** With a given S3 implementation factory (for sharing one client, or tests). */
    public RoutingStorage(StorageConfig config, Supplier<? extends Storage> s3Factory) {
        this.config = Objects.requireNonNull(config);
        this.s3Factory = Objects.requireNonNull(s3Factory);
    }

    public StorageConfig config() {
        return config;
    }

    /** Throws S3_URI_NOT_ALLOWED if {@code uri} is an S3 URI outside the render bucket; local paths pass here. */
    public void checkAllowed(StorageUri uri) {
        String allowed = config.allowedBucket();
        if (uri.isS3() && allowed != null && !allowed.equals(uri.bucket())) {
            throw new RenderException(ErrorCode.S3_URI_NOT_ALLOWED,
                    uri + " is outside the render bucket " + allowed + " (HFR_RENDER_BUCKET)");
        }
    }

    /**
     * The check for a URI that came in an event (user input): with a render bucket configured it must be an
     * {@code s3://} URI in that bucket. A local path would let an event read or write the worker's own disk.
     */
    public void checkEventUri(String field, StorageUri uri) {
        String allowed = config.allowedBucket();
        if (allowed != null && !uri.isS3()) {
            throw new RenderException(ErrorCode.S3_URI_NOT_ALLOWED, field + " is the local path " + uri
                    + ", but with a render bucket configured (HFR_RENDER_BUCKET=" + allowed + ") every event URI must be"
                    + " s3://" + allowed + "/...");
        }
        if (allowed != null && !allowed.equals(uri.bucket())) {
            throw new RenderException(ErrorCode.S3_URI_NOT_ALLOWED, field + " " + uri
                    + " is outside the render bucket " + allowed + " (HFR_RENDER_BUCKET)");
        }
    }

    /** What a step does with an event URI, which decides the keys it may name ({@link KeyScope}). */
    public enum Role {
        /** ProjectS3Uri: read. */
        PROJECT,
        /** PlanOutputS3Prefix, or the prefix of PlanManifestS3Uri. */
        RENDER_PREFIX,
        /** ChunkOutputS3Prefix, ChunkS3Uris: the render's own objects. */
        IN_RENDER,
        /** OutputS3Uri. */
        OUTPUT
    }

    /**
     * {@link #checkEventUri(String, StorageUri)}, then, with a render bucket configured, the key rule of
     * {@code role} ({@link KeyScope}) relative to {@code renderPrefix} (the render the event is about).
     */
    public void checkEventUri(String field, StorageUri uri, Role role, StorageUri renderPrefix) {
        checkEventUri(field, uri);
        if (config.allowedBucket() == null) {
            return;
        }
        KeyScope scope = new KeyScope(config);
        switch (role) {
            case PROJECT -> scope.project(field, uri, renderPrefix);
            case RENDER_PREFIX -> scope.renderPrefix(field, uri);
            case IN_RENDER -> scope.inRender(field, uri, renderPrefix);
            case OUTPUT -> scope.output(field, uri, renderPrefix);
        }
    }

    private Storage route(StorageUri uri) {
        checkAllowed(uri);
        if (!uri.isS3()) {
            return local;
        }
        Storage s = s3;
        if (s == null) {
            synchronized (this) {
                s = s3;
                if (s == null) {
                    s = s3Factory.get();
                    s3 = s;
                }
            }
        }
        return s;
    }

    @Override
    public boolean exists(StorageUri uri) {
        return route(uri).exists(uri);
    }

    @Override
    public long size(StorageUri uri) {
        return route(uri).size(uri);
    }

    @Override
    public byte[] read(StorageUri uri) {
        return route(uri).read(uri);
    }

    @Override
    public InputStream open(StorageUri uri) {
        return route(uri).open(uri);
    }

    @Override
    public void download(StorageUri uri, Path target) {
        route(uri).download(uri, target);
    }

    @Override
    public void write(StorageUri uri, byte[] bytes) {
        route(uri).write(uri, bytes);
    }

    @Override
    public void upload(Path source, StorageUri uri) {
        route(uri).upload(source, uri);
    }

    @Override
    public boolean writeIfAbsent(StorageUri uri, byte[] bytes) {
        return route(uri).writeIfAbsent(uri, bytes);
    }

    @Override
    public boolean uploadIfAbsent(Path source, StorageUri uri) {
        return route(uri).uploadIfAbsent(source, uri);
    }

    @Override
    public List<StorageUri> list(StorageUri prefix) {
        return route(prefix).list(prefix);
    }

    @Override
    public void delete(StorageUri uri) {
        route(uri).delete(uri);
    }

    @Override
    public void close() {
        if (s3 instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw RenderException.wrap(e);
            }
        }
    }
}
