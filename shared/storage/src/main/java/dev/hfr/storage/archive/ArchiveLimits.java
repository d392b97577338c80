package dev.hfr.storage.archive;

import dev.hfr.model.Limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ceilings for one project, so a tar bomb or a huge directory fails fast instead of filling the disk.
 *
 * @param maxUnpackedBytes total bytes of all files written while extracting (counted while streaming)
 * @param maxEntries       number of tar entries of any type, or files and folders of a directory project
 * @param freeSpace        how many bytes the disk of a directory can still take (a parameter so tests can
 *                         simulate a small disk without filling the real one)
 * @param reserveBytes     free bytes the project may not use: the rest of the step needs them
 */
public record ArchiveLimits(long maxUnpackedBytes, int maxEntries, FreeSpace freeSpace, long reserveBytes) {

    /** Usable bytes of the file system holding a directory. */
    @FunctionalInterface
    public interface FreeSpace {
        /** The machine's own answer: the usable space of the directory's {@link java.nio.file.FileStore}. */
        FreeSpace FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();

        long usableBytes(Path dir) throws IOException;
    }

    public ArchiveLimits {
        if (maxUnpackedBytes <= 0 || maxEntries <= 0 || reserveBytes < 0 || freeSpace == null) {
            throw new IllegalArgumentException("archive limits must be positive: maxUnpackedBytes=" + maxUnpackedBytes
                    + ", maxEntries=" + maxEntries + ", reserveBytes=" + reserveBytes + ", freeSpace=" + freeSpace);
        }
    }

    /** Fixed ceilings on the real disk, with the default reserve. */
    public ArchiveLimits(long maxUnpackedBytes, int maxEntries) {
        this(maxUnpackedBytes, maxEntries, FreeSpace.FILE_STORE, Limits.DISK_RESERVE_BYTES);
    }

    /** {@link Limits#MAX_PROJECT_UNPACKED_BYTES}, {@link Limits#MAX_PROJECT_ENTRIES}, the real disk. */
    public static ArchiveLimits defaults() {
        return new ArchiveLimits(Limits.MAX_PROJECT_UNPACKED_BYTES, Limits.MAX_PROJECT_ENTRIES);
    }

    /** The same ceilings measured against another disk (tests: "this disk has 10 MB free"). */
    public ArchiveLimits withFreeSpace(FreeSpace space, long reserve) {
        return new ArchiveLimits(maxUnpackedBytes, maxEntries, space, reserve);
    }
}
