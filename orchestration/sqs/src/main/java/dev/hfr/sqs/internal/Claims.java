package dev.hfr.sqs.internal;

import dev.hfr.model.StorageUri;
import dev.hfr.storage.Storage;
import dev.hfr.storage.StorageNotFoundException;

import java.time.Instant;

/**
 * Conditional-create markers that remember which message took them. A claim is "ours" when this call
 * created it or when it was created earlier by the same SQS message id: a redelivery after a crash between
 * taking the claim and finishing the job (e.g. sending the assemble message) must be able to finish it,
 * while a duplicate message (another id) must not.
 */
public final class Claims {
    private final Storage storage;

    public Claims(Storage storage) {
        this.storage = storage;
    }

    public enum Result {
        /** This call created the claim. */
        TAKEN_NOW,
        /** The same message took it earlier (redelivery): redo the job, it is idempotent downstream. */
        OURS_ALREADY,
        /** Another message holds it: do nothing. */
        HELD_BY_OTHER;

        public boolean ours() {
            return this != HELD_BY_OTHER;
        }
    }

    public Result claim(String key, String messageId) {
        StorageUri uri = StorageUri.parse(key);
        if (storage.writeIfAbsent(uri, Json.bytes(new Messages.ClaimRecord(messageId, Instant.now().toString())))) {
            return Result.TAKEN_NOW;
        }
        try {
            Messages.ClaimRecord held = Json.read(storage.read(uri), Messages.ClaimRecord.class, "claim " + uri);
            return messageId.equals(held.messageId()) ? Result.OURS_ALREADY : Result.HELD_BY_OTHER;
        } catch (StorageNotFoundException e) {
            // Claims are never deleted, so this means storage is not read-after-write consistent here.
            return Result.HELD_BY_OTHER;
        }
    }
}
