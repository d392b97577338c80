package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * One content-addressed file of a plan.
 *
 * @param path      path inside the materialised plan directory (POSIX separators), e.g. compiled/index.html
 * @param sha256    hex digest of the bytes; also the blob's storage key
 * @param sizeBytes size of the bytes
 * @param chunks    indexes of the chunks that need it, or null when every chunk does (empty: none; always
 *                  serialised, since serde would otherwise drop an empty list and turn "none" into "all")
 * @param assembler whether the assemble step needs it (audio)
 */
@Serdeable
public record PlanArtifact(String path, String sha256, long sizeBytes, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable List<Integer> chunks, boolean assembler) {

    public boolean neededByChunk(int index) {
        return chunks == null || chunks.contains(index);
    }
}
