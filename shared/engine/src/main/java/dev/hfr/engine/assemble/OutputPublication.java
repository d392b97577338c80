package dev.hfr.engine.assemble;

import dev.hfr.model.AssembleResult;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.Storage;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Publishes a render's S3 output exactly once and never over an object hfr did not write.
 *
 * <p>The render's durable record ({@link RenderKeys#durablePublication}: {@code records/<prefix>/published.json} for
 * an S3 prefix, outside {@code renders/}, so the lifecycle rule that expires a render's intermediates never expires
 * it) is written with a conditional put <em>before</em> the output
 * (which is then uploaded with a conditional put too). So: an output that exists while no record of this render
 * names it belongs to someone else and is refused with OUTPUT_PATH_UNSAFE (an event cannot overwrite another
 * render's manifest or a user's file); a retried or redelivered assemble whose output already exists under this
 * render's record returns the recorded result instead of publishing again; one that died between the record
 * and the upload uploads on the next attempt. A render publishes to one output: an assemble of the same plan to
 * another OutputS3Uri is refused.
 */
final class OutputPublication {
    private final Storage storage;
    private final StorageUri record;
    /** Where renders made before the durable record kept it (inside the prefix): still honoured. */
    private final StorageUri legacyRecord;
    private final StorageUri output;

    OutputPublication(Storage storage, String planPrefix, StorageUri output) {
        this.storage = storage;
        this.record = StorageUri.parse(RenderKeys.durablePublication(planPrefix));
        this.legacyRecord = StorageUri.parse(RenderKeys.publication(planPrefix));
        this.output = output;
    }

    /** Before any work: the recorded result when this render already published {@code output}; refusals otherwise. */
    Optional<AssembleResult> alreadyPublished() {
        Optional<AssembleResult> recorded = readRecord();
        if (recorded.isPresent()) {
            requireSameOutput(recorded.get());
            return storage.exists(output) ? recorded : Optional.empty();
        }
        if (storage.exists(output)) {
            throw notOurs();
        }
        return Optional.empty();
    }

    /** Records, then uploads {@code file}; returns what was published (the recorded result on a lost race). */
    AssembleResult publish(Path file, AssembleResult result) {
        if (!storage.writeIfAbsent(record, bytes(result))) {
            AssembleResult recorded = readRecord().orElseThrow(() -> new RenderException(ErrorCode.STORAGE_ERROR,
                    record + " exists but cannot be read back"));
            requireSameOutput(recorded);
        }
        if (!storage.uploadIfAbsent(file, output)) {
            // someone created it since alreadyPublished(): this render's record names it, so it is ours only if
            // another attempt of this same render won the race
            AssembleResult recorded = readRecord().orElseThrow(this::notOurs);
            requireSameOutput(recorded);
            return recorded;
        }
        return result;
    }

    private void requireSameOutput(AssembleResult recorded) {
        if (!output.toString().equals(recorded.outputS3Uri())) {
            throw new RenderException(ErrorCode.OUTPUT_PATH_UNSAFE, "this render already published its output to "
                    + recorded.outputS3Uri() + " (" + record + "); it is not published again to " + output);
        }
    }

    private RenderException notOurs() {
        return new RenderException(ErrorCode.OUTPUT_PATH_UNSAFE, "OutputS3Uri " + output + " already exists and this"
                + " render did not write it; hfr never overwrites an object: choose a new OutputS3Uri or delete it first");
    }

    private Optional<AssembleResult> readRecord() {
        Optional<AssembleResult> durable = read(record);
        return durable.isPresent() ? durable : read(legacyRecord);
    }

    private Optional<AssembleResult> read(StorageUri uri) {
        if (!storage.exists(uri)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ObjectMapper.getDefault().readValue(storage.read(uri), AssembleResult.class));
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, uri + " is not a publication record: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(AssembleResult result) {
        try {
            return ObjectMapper.getDefault().writeValueAsBytes(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
