package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;

/** A read of an object that does not exist. Carries MISSING_PLAN_ARTIFACT unless rethrown with context. */
public class StorageNotFoundException extends RenderException {
    private final StorageUri uri;

    public StorageNotFoundException(StorageUri uri) {
        super(ErrorCode.MISSING_PLAN_ARTIFACT, "no object at " + uri);
        this.uri = uri;
    }

    public StorageUri uri() {
        return uri;
    }
}
