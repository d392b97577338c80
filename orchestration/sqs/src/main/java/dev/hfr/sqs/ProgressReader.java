package dev.hfr.sqs;

import dev.hfr.model.StorageUri;
import dev.hfr.sqs.internal.Json;
import dev.hfr.sqs.internal.Messages;
import dev.hfr.sqs.internal.SqsKeys;
import dev.hfr.sqs.internal.StatusStore;
import dev.hfr.storage.Storage;
import dev.hfr.storage.StorageNotFoundException;

import java.util.Optional;

/**
 * Reads a render's progress for {@code hf progress}. By prefix, or by render id through the index object
 * the plan consumer writes at {@code s3://<bucket>/renders/index/<renderId>.json} (for a local prefix:
 * {@code <parent of prefix>/renders/index/<renderId>.json}).
 */
public final class ProgressReader {
    private ProgressReader() {
    }

    /** The newest status of the render at {@code prefix}; QUEUED (renderId null) when it has no record yet. */
    public static RenderStatus read(Storage storage, String prefix) {
        RenderStatus s = new StatusStore(storage).read(prefix);
        return s != null ? s : RenderStatus.queued(null);
    }

    /**
     * The status of render {@code renderId} under {@code root} ({@code s3://bucket}, or the local directory
     * holding the render prefixes). QUEUED while no index exists: the request may still be waiting on the
     * queue (a mistyped id looks the same).
     */
    public static RenderStatus readById(Storage storage, String root, String renderId) {
        return prefixOf(storage, root, renderId).map(p -> read(storage, p)).orElse(RenderStatus.queued(renderId));
    }

    /** The prefix of render {@code renderId}, from its index object. */
    public static Optional<String> prefixOf(Storage storage, String root, String renderId) {
        StorageUri index = StorageUri.parse(root).resolve("renders/index/" + renderId + ".json");
        try {
            return Optional.of(Json.read(storage.read(index), Messages.RenderIndex.class, index.toString()).prefix());
        } catch (StorageNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Where the index of a render with this prefix is written. */
    public static StorageUri indexUri(String prefix, String renderId) {
        return SqsKeys.index(prefix, renderId);
    }
}
