package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * One JSON record that many workers update, with optimistic concurrency over the plain {@link Storage}
 * interface (so it works on S3 and local files alike, no ETags needed).
 *
 * <p>Every update is a conditional create of the next version object {@code <versions>/N.json}: read the
 * newest version N, apply a pure updater, create N+1 with If-None-Match. Losing the race means someone else
 * wrote N+1 first: re-read and re-apply (updaters are pure functions of the old record, so re-applying is
 * safe). The winner then publishes its record to the published key and re-checks for a newer version
 * afterwards; whichever writer publishes last therefore publishes the newest version, so the published copy
 * converges to the head. Versions are never deleted: a deleted version could be created again by a writer
 * that found no hint, which would break the ordering.
 *
 * @param <T> the record type; {@link Stamp} sets the version number and update time on a new version
 */
public final class VersionedRecord<T> {
    private static final int MAX_ATTEMPTS = 64;

    /** Puts the version number (1 for the first) into a record about to be written. */
    @FunctionalInterface
    public interface Stamp<T> {
        T stamp(T record, long version);
    }

    private final Storage storage;
    private final Class<T> type;
    private final StorageUri published;
    private final String versionsPrefix;
    private final java.util.function.ToLongFunction<T> versionOf;
    private final Stamp<T> stamp;

    public VersionedRecord(Storage storage, Class<T> type, StorageUri published, String versionsPrefix,
                           java.util.function.ToLongFunction<T> versionOf, Stamp<T> stamp) {
        this.storage = storage;
        this.type = type;
        this.published = published;
        this.versionsPrefix = versionsPrefix.endsWith("/") ? versionsPrefix : versionsPrefix + "/";
        this.versionOf = versionOf;
        this.stamp = stamp;
    }

    /**
     * Applies {@code updater} to the newest version and writes the result as the next version. The updater
     * returns null when there is nothing to change; then the newest version (or null) is returned unchanged.
     */
    public @Nullable T update(UnaryOperator<T> updater) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Head<T> h = head();
            T next = updater.apply(h.value);
            if (next == null) {
                return h.value;
            }
            long v = h.version + 1;
            T stamped = stamp.stamp(next, v);
            if (storage.writeIfAbsent(version(v), bytes(stamped))) {
                publish(stamped);
                return stamped;
            }
        }
        throw new RenderException(ErrorCode.STORAGE_ERROR, "record " + published + " changed under " + MAX_ATTEMPTS
                + " consecutive updates: giving up this attempt");
    }

    /** The newest version, or null when nothing was written yet. */
    public @Nullable T read() {
        return head().value;
    }

    /** The published copy only (one read): may lag the newest version by an update in flight. */
    public @Nullable T readPublished() {
        try {
            return parse(storage.read(published), published.toString());
        } catch (StorageNotFoundException e) {
            return null;
        }
    }

    private record Head<T>(long version, @Nullable T value) {
    }

    private StorageUri version(long v) {
        return StorageUri.parse(versionsPrefix + String.format("%010d", v) + ".json");
    }

    private void publish(T written) {
        T current = written;
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            storage.write(published, bytes(current));
            if (!storage.exists(version(versionOf.applyAsLong(current) + 1))) {
                return;
            }
            // A newer version appeared while we published: its writer may have published before us.
            current = head().value;
        }
    }

    private Head<T> head() {
        long v = hint();
        while (storage.exists(version(v + 1))) {
            v++;
        }
        if (v == 0) {
            return new Head<>(0, null);
        }
        return new Head<>(v, parse(storage.read(version(v)), "version " + v + " of " + published));
    }

    /** The version the published copy holds: never ahead of the head, usually equal to it. */
    private long hint() {
        try {
            return Math.max(0, versionOf.applyAsLong(parse(storage.read(published), published.toString())));
        } catch (StorageNotFoundException e) {
            return 0;
        } catch (RenderException e) {
            if (e.code() == ErrorCode.INVALID_EVENT) {
                return 0; // a torn or foreign published copy: fall back to probing from the start
            }
            throw e;
        }
    }

    private byte[] bytes(T value) {
        try {
            return ObjectMapper.getDefault().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.PROGRAMMING_ERROR, "cannot serialise " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private T parse(byte[] b, String what) {
        try {
            T v = ObjectMapper.getDefault().readValue(b, type);
            if (v == null) {
                throw new RenderException(ErrorCode.INVALID_EVENT, what + " is empty: expected a " + type.getSimpleName());
            }
            return v;
        } catch (IOException | RuntimeException e) {
            if (e instanceof RenderException re) {
                throw re;
            }
            throw new RenderException(ErrorCode.INVALID_EVENT, "cannot read " + what + " as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
