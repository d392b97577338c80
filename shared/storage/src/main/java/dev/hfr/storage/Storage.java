package dev.hfr.storage;

import dev.hfr.model.StorageUri;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * One small interface over S3 ({@code s3://bucket/key}) and local files, with the same semantics and
 * the same errors for both: a missing object is {@code MISSING_PLAN_ARTIFACT}-free — callers decide —
 * so reads of a missing object throw {@link StorageNotFoundException}; every other failure is a
 * {@code RenderException} with code {@code STORAGE_ERROR} (retryable).
 */
public interface Storage {

    boolean exists(StorageUri uri);

    /** Size in bytes; throws {@link StorageNotFoundException} when absent. */
    long size(StorageUri uri);

    byte[] read(StorageUri uri);

    /** Streams an object; the caller closes the stream. */
    InputStream open(StorageUri uri);

    /** Copies an object to a local file (parent directories created; replaced atomically). */
    void download(StorageUri uri, Path target);

    /** Writes bytes, replacing any existing object. Local writes are atomic (temp file + rename). */
    void write(StorageUri uri, byte[] bytes);

    /** Uploads a local file (S3: multipart above a threshold), replacing any existing object. */
    void upload(Path source, StorageUri uri);

    /**
     * Creates the object only if nothing exists at {@code uri} (S3 {@code If-None-Match: *}; locally an
     * atomic create). Returns true if this call created it, false if it already existed.
     */
    boolean writeIfAbsent(StorageUri uri, byte[] bytes);

    /**
     * Uploads a local file only if nothing exists at {@code uri} (S3 {@code If-None-Match: *} on the put or on the
     * multipart completion; locally an atomic create). Returns true if this call created it, false if it existed.
     */
    boolean uploadIfAbsent(Path source, StorageUri uri);

    /** Every object whose key starts with {@code prefix} + "/", sorted by key. */
    List<StorageUri> list(StorageUri prefix);

    /** Deletes an object; deleting a missing object is not an error. */
    void delete(StorageUri uri);
}
