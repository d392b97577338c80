package dev.hfr.storage.archive;

import dev.hfr.model.Limits;

/**
 * Ceilings for one project archive, so a tar bomb fails fast instead of filling the disk.
 *
 * @param maxUnpackedBytes total bytes of all files written while extracting (counted while streaming)
 * @param maxEntries       number of tar entries of any type
 */
public record ArchiveLimits(long maxUnpackedBytes, int maxEntries) {

    public ArchiveLimits {
        if (maxUnpackedBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("archive limits must be positive: maxUnpackedBytes=" + maxUnpackedBytes
                    + ", maxEntries=" + maxEntries);
        }
    }

    /** {@link Limits#MAX_PROJECT_UNPACKED_BYTES} and {@link Limits#MAX_PROJECT_ENTRIES}. */
    public static ArchiveLimits defaults() {
        return new ArchiveLimits(Limits.MAX_PROJECT_UNPACKED_BYTES, Limits.MAX_PROJECT_ENTRIES);
    }
}
