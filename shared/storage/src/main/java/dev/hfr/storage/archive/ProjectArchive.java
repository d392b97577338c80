package dev.hfr.storage.archive;

import dev.hfr.model.FileTrees;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.Limits;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.Storage;
import dev.hfr.storage.StorageNotFoundException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Project archives ({@code .tar.gz}) in and out.
 *
 * <p><b>Extraction is defensive</b>: the archive is user input that a Lambda unpacks with its role's rights.
 * Rejected, with {@code PROJECT_ARCHIVE_INVALID} and a message naming the entry and the rule: input that is not
 * gzip, absolute names, any {@code ..} segment, symlinks whose target is absolute, leaves the project or points
 * at nothing, hard links to anything but an earlier regular file of the archive, devices, FIFOs and other
 * special entries, more entries or more unpacked bytes than {@link ArchiveLimits} (bytes are counted as they
 * are written, not taken from headers).
 *
 * <p><b>Disk</b>: before unpacking, the free space of the target's file system is read
 * ({@link ArchiveLimits#freeSpace}); the project may use (free - reserve) / {@link Limits#PROJECT_DISK_COPIES}
 * (the compiler copies it once more). Each entry's declared size is checked against that budget before a byte
 * is written (and, every 8 MB, against the space free at that moment), and the bytes written are counted
 * against it.
 * Running out is {@code INSUFFICIENT_DISK} (non-retryable: the same worker fails the same way again), not
 * {@code STORAGE_ERROR}.
 *
 * <p><b>Directory projects</b> are used in place but read by the same rules ({@link #checkDirectory}): every
 * symlink must resolve, by the kernel, inside the project (file or folder; the compiler then copies what it
 * points at), no folder link may loop back to its own ancestors, no FIFO, device or socket, and no more than
 * {@link ArchiveLimits#maxEntries} files and folders. Top-level folders the compiler never copies
 * ({@code node_modules}, {@code .git}, ...) are not looked at.
 *
 * <p><b>Symlinks are kept</b> (as links, not copies), because projects use them for shared assets. They are
 * created only after every file and directory has been written, so no entry can be written through a link, a
 * link may not sit below another link, and each link is finally resolved by the kernel
 * ({@link Path#toRealPath}) and must land inside the project. Hard links are materialised as copies.
 *
 * <p>A failed extraction never leaves anything behind: entries go to a hidden sibling directory that is renamed
 * to the target only on success and deleted otherwise.
 */
public final class ProjectArchive {

    /** Top-level directories {@link #pack} leaves out: dependencies, VCS data, caches and build output. */
    public static final Set<String> PACK_SKIPPED_TOP_LEVEL = Set.of("node_modules", ".git", ".cache", "output", "dist", "target");
    /** The mtime of every packed entry: fixed, so the bytes depend only on names, modes and contents. */
    public static final FileTime PACK_MTIME = FileTime.fromMillis(0);

    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    private ProjectArchive() {
    }

    // ------------------------------------------------------------------------------------------------ extract

    /**
     * Extracts a gzip'd tar into {@code targetDir}, which must not exist or be an empty directory. The stream is
     * read but not closed.
     */
    public static void extract(InputStream tarGz, Path targetDir, ArchiveLimits limits) {
        Path target = targetDir.toAbsolutePath().normalize();
        requireAbsentOrEmpty(target);
        Path tmp;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".extract-");
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot create a directory next to " + target + ": " + e, e);
        }
        boolean moved = false;
        try {
            unpack(tarGz, tmp, limits, DiskBudget.measure(limits, tmp, Limits.PROJECT_DISK_COPIES));
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(target); // empty, checked above
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            moved = true;
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "extracting the project into " + target + " failed: " + e, e);
        } finally {
            if (!moved) {
                FileTrees.deleteQuietly(tmp);
            }
        }
    }

    private record PendingSymlink(String entryName, Path link, String target) {
    }

    /**
     * What the project may write on this disk: measured once before unpacking, and measured again (other work
     * shares the disk) before an entry once {@link #REMEASURE_BYTES} have been written or declared since the
     * last measurement. Not before every entry: reading a file store's free space costs about 2 ms, which for
     * thousands of small files would cost more than unpacking them.
     */
    private static final class DiskBudget {
        static final long REMEASURE_BYTES = 8L * 1024 * 1024;
        private final ArchiveLimits limits;
        private final Path dir;
        private final long freeAtStart;
        private final long bytes;
        private final int copies;
        private long unmeasuredBytes;

        private DiskBudget(ArchiveLimits limits, Path dir, long freeAtStart, int copies) {
            this.limits = limits;
            this.dir = dir;
            this.freeAtStart = freeAtStart;
            this.bytes = Math.max(0, (freeAtStart - limits.reserveBytes()) / copies);
            this.copies = copies;
        }

        static DiskBudget measure(ArchiveLimits limits, Path dir, int copies) {
            return new DiskBudget(limits, dir, usable(limits, dir), copies);
        }

        /** Refuses an entry declaring {@code sizeBytes} when {@code usedBytes} are already written. */
        void checkDeclared(String entry, long sizeBytes, long usedBytes) {
            if (sizeBytes > bytes - usedBytes) {
                throw noDisk(entry, "declares " + sizeBytes + " bytes; with " + usedBytes + " already unpacked");
            }
            unmeasuredBytes += sizeBytes;
            if (unmeasuredBytes < REMEASURE_BYTES) {
                return;
            }
            unmeasuredBytes = 0;
            long now = usable(limits, dir) - limits.reserveBytes();
            if (sizeBytes > now) {
                throw noDisk(entry, "declares " + sizeBytes + " bytes but only " + Math.max(0, now)
                        + " are free above the reserve now");
            }
        }

        void checkWritten(String entry, long totalBytes) {
            if (totalBytes > bytes) {
                throw noDisk(entry, "unpacked " + totalBytes + " bytes so far");
            }
        }

        private RenderException noDisk(String entry, String what) {
            return new RenderException(ErrorCode.INSUFFICIENT_DISK, "project archive entry '" + entry + "' " + what
                    + ": this worker's disk can give the project at most " + bytes + " bytes (" + freeAtStart
                    + " free at " + dir.getParent() + ", " + limits.reserveBytes() + " kept for the render, the"
                    + " project is stored " + copies + " times); use a worker with more disk or a smaller project");
        }
    }

    /** Usable bytes where {@code dir} is (or its nearest existing ancestor). */
    private static long usable(ArchiveLimits limits, Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return limits.freeSpace().usableBytes(p == null ? dir : p);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot read the free space at " + dir + ": " + e, e);
        }
    }

    private static void unpack(InputStream tarGz, Path root, ArchiveLimits limits, DiskBudget disk) throws IOException {
        BufferedInputStream in = new BufferedInputStream(tarGz);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 != 0x1f || b1 != 0x8b) {
            throw new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID,
                    "project archive is not gzip-compressed (expected a .tar.gz starting with bytes 1f 8b, got "
                            + hex(b0) + " " + hex(b1) + ")");
        }
        GzipCompressorInputStream gz;
        try {
            gz = new GzipCompressorInputStream(in, true);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID, "project archive has a corrupt gzip header: " + e.getMessage(), e);
        }
        TarArchiveInputStream tar = new TarArchiveInputStream(gz, StandardCharsets.UTF_8.name());
        List<PendingSymlink> symlinks = new ArrayList<>();
        long unpackedBytes = 0;
        int entries = 0;
        String previous = null;
        TarArchiveEntry e;
        while ((e = nextEntry(tar, previous)) != null) {
            String name = e.getName();
            previous = name;
            entries++;
            if (entries > limits.maxEntries()) {
                throw invalid(name, "the archive has more than " + limits.maxEntries() + " entries (maxEntries)");
            }
            Path dest = safeRelative(root, name, name, "entry name");
            if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                throw invalid(name, "device and FIFO entries are not allowed");
            }
            if (dest == null) {
                if (e.isDirectory()) {
                    continue; // "./": the project root itself
                }
                throw invalid(name, "only a directory may be named like the project root");
            }
            if (e.isDirectory()) {
                Files.createDirectories(dest);
            } else if (e.isSymbolicLink()) {
                symlinks.add(new PendingSymlink(name, dest, checkSymlinkTarget(root, dest, name, e.getLinkName())));
            } else if (e.isLink()) {
                Path source = safeRelative(root, e.getLinkName(), name, "hard link target '" + e.getLinkName() + "'");
                if (source == null || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw invalid(name, "hard link target '" + e.getLinkName() + "' is not an earlier regular file of the archive");
                }
                long sizeBytes = Files.size(source);
                if (sizeBytes > limits.maxUnpackedBytes() - unpackedBytes) {
                    throw tooBig(name, limits);
                }
                disk.checkDeclared(name, sizeBytes, unpackedBytes);
                Files.createDirectories(dest.getParent());
                Files.copy(source, dest, StandardCopyOption.REPLACE_EXISTING);
                unpackedBytes += sizeBytes;
            } else if (isRegularFile(e)) {
                if (e.getSize() > limits.maxUnpackedBytes() - unpackedBytes) {
                    throw tooBig(name, limits); // fail before writing when the header already says so
                }
                disk.checkDeclared(name, e.getSize(), unpackedBytes);
                Files.createDirectories(dest.getParent());
                unpackedBytes = copyCounted(tar, dest, name, unpackedBytes, limits, disk);
                if ((e.getMode() & 0100) != 0) {
                    makeExecutable(dest);
                }
            } else {
                throw invalid(name, "unsupported tar entry type '" + (char) typeFlag(e) + "' (only files, directories and links)");
            }
        }
        createSymlinks(root, symlinks);
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String previous) {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID, "project archive is not a valid tar.gz"
                    + (previous == null ? "" : " after entry '" + previous + "'") + ": " + e.getMessage(), e);
        }
    }

    private static boolean isRegularFile(TarArchiveEntry e) {
        byte t = typeFlag(e);
        return t == TarConstants.LF_NORMAL || t == TarConstants.LF_OLDNORM || t == TarConstants.LF_CONTIG;
    }

    private static byte typeFlag(TarArchiveEntry e) {
        // No public getter for the type flag; derive it from the predicates commons-compress offers.
        if (e.isDirectory()) {
            return TarConstants.LF_DIR;
        }
        if (e.isSymbolicLink()) {
            return TarConstants.LF_SYMLINK;
        }
        if (e.isLink()) {
            return TarConstants.LF_LINK;
        }
        if (e.isCharacterDevice()) {
            return TarConstants.LF_CHR;
        }
        if (e.isBlockDevice()) {
            return TarConstants.LF_BLK;
        }
        if (e.isFIFO()) {
            return TarConstants.LF_FIFO;
        }
        if (e.isSparse() || e.isGNUSparse()) {
            return TarConstants.LF_GNUTYPE_SPARSE;
        }
        return e.isFile() ? TarConstants.LF_NORMAL : (byte) '?';
    }

    private static long copyCounted(TarArchiveInputStream tar, Path dest, String name, long unpackedBytes, ArchiveLimits limits,
                                    DiskBudget disk) throws IOException {
        byte[] buf = new byte[COPY_BUFFER_BYTES];
        long total = unpackedBytes;
        try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            while (true) {
                int n;
                try {
                    n = tar.read(buf);
                } catch (IOException e) {
                    throw invalid(name, "the entry is truncated or corrupt: " + e.getMessage());
                }
                if (n < 0) {
                    return total;
                }
                total += n;
                if (total > limits.maxUnpackedBytes()) {
                    throw tooBig(name, limits);
                }
                disk.checkWritten(name, total);
                out.write(buf, 0, n);
            }
        }
    }

    private static String checkSymlinkTarget(Path root, Path link, String name, String target) {
        if (target == null || target.isEmpty()) {
            throw invalid(name, "symlink has an empty target");
        }
        if (target.startsWith("/") || target.matches("^[A-Za-z]:.*")) {
            throw invalid(name, "symlink target '" + target + "' is absolute; links must stay inside the project");
        }
        Path resolved;
        try {
            resolved = link.getParent().resolve(target).normalize();
        } catch (InvalidPathException e) {
            throw invalid(name, "symlink target '" + target + "' is not a valid path");
        }
        if (!resolved.startsWith(root)) {
            throw invalid(name, "symlink target '" + target + "' resolves outside the project");
        }
        return target;
    }

    private static void createSymlinks(Path root, List<PendingSymlink> symlinks) throws IOException {
        for (PendingSymlink s : symlinks) {
            for (Path p = s.link().getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
                if (Files.isSymbolicLink(p)) {
                    throw invalid(s.entryName(), "symlink lies below another symlink ('" + root.relativize(p) + "')");
                }
            }
            if (Files.exists(s.link(), LinkOption.NOFOLLOW_LINKS)) {
                throw invalid(s.entryName(), "symlink duplicates an existing entry of the same name");
            }
            Files.createDirectories(s.link().getParent());
            Files.createSymbolicLink(s.link(), Path.of(s.target()));
        }
        // The lexical check above cannot see chains like "a -> ." plus "b -> a/../x"; the kernel can.
        Path realRoot = root.toRealPath();
        for (PendingSymlink s : symlinks) {
            Path real;
            try {
                real = s.link().toRealPath();
            } catch (NoSuchFileException e) {
                throw invalid(s.entryName(), "symlink target '" + s.target() + "' does not exist in the project");
            }
            if (!real.startsWith(realRoot)) {
                throw invalid(s.entryName(), "symlink target '" + s.target() + "' resolves outside the project");
            }
        }
    }

    /**
     * Resolves an archive-relative name below {@code root}; null for the root itself. Rejects absolute names and
     * any {@code ..} segment (even one that would stay inside: no legitimate packer writes them).
     */
    private static Path safeRelative(Path root, String name, String entryName, String what) {
        if (name == null || name.isEmpty()) {
            throw invalid(entryName, what + " is empty");
        }
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw invalid(entryName, what + " is an absolute path");
        }
        Path p = root;
        boolean any = false;
        for (String seg : name.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                throw invalid(entryName, what + " contains a '..' segment (path traversal)");
            }
            try {
                p = p.resolve(seg);
            } catch (InvalidPathException e) {
                throw invalid(entryName, what + " is not a valid file name");
            }
            any = true;
        }
        if (!p.normalize().startsWith(root)) {
            throw invalid(entryName, what + " resolves outside the project");
        }
        return any ? p : null;
    }

    private static void makeExecutable(Path p) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.add(PosixFilePermission.OWNER_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not POSIX: projects do not need executables to render.
        }
    }

    private static void requireAbsentOrEmpty(Path target) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isEmpty()) {
                    return;
                }
            } catch (IOException e) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot read extraction target " + target + ": " + e, e);
            }
        }
        throw new RenderException(ErrorCode.INTERNAL_ERROR,
                "extraction target " + target + " already exists and is not an empty directory");
    }

    private static RenderException invalid(String entry, String rule) {
        return new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID, "project archive entry '" + entry + "': " + rule);
    }

    private static RenderException tooBig(String entry, ArchiveLimits limits) {
        return invalid(entry, "the archive unpacks to more than " + limits.maxUnpackedBytes() + " bytes (maxUnpackedBytes)");
    }

    private static String hex(int b) {
        return b < 0 ? "EOF" : String.format("%02x", b);
    }

    // ------------------------------------------------------------------------------------------------ pack

    /**
     * Writes {@code dir} as a deterministic tar.gz to {@code out} (not closed): entries sorted by path, mtime 0,
     * uid/gid 0 with empty names, modes 0755 (directories, executables) or 0644, gzip header mtime 0. Top-level
     * {@link #PACK_SKIPPED_TOP_LEVEL} directories are skipped; symlinks are stored as links, not followed.
     */
    public static void pack(Path dir, OutputStream out) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new RenderException(ErrorCode.PROJECT_NOT_FOUND, "cannot pack " + dir + ": not a directory");
        }
        try {
            List<Path> paths = new ArrayList<>();
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (!d.equals(root)) {
                        if (d.getParent().equals(root) && PACK_SKIPPED_TOP_LEVEL.contains(d.getFileName().toString())) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        paths.add(d);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    paths.add(f);
                    return FileVisitResult.CONTINUE;
                }
            });
            List<String[]> entries = new ArrayList<>(); // {archive name, absolute path}
            for (Path p : paths) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                entries.add(new String[] {isDir ? rel + "/" : rel, p.toString()});
            }
            entries.sort(Comparator.comparing(a -> a[0]));

            GzipParameters gzp = new GzipParameters();
            gzp.setModificationTime(0);
            gzp.setOperatingSystem(255); // "unknown": the bytes must not depend on the packing machine
            try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(new CloseShield(out), gzp);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                for (String[] en : entries) {
                    Path p = Path.of(en[1]);
                    TarArchiveEntry te;
                    boolean regular = false;
                    if (Files.isSymbolicLink(p)) {
                        te = new TarArchiveEntry(en[0], TarConstants.LF_SYMLINK);
                        te.setLinkName(Files.readSymbolicLink(p).toString().replace('\\', '/'));
                        te.setMode(0120777);
                    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        te = new TarArchiveEntry(en[0], TarConstants.LF_DIR);
                        te.setMode(040755);
                    } else {
                        te = new TarArchiveEntry(en[0], TarConstants.LF_NORMAL);
                        te.setMode(Files.isExecutable(p) ? 0100755 : 0100644);
                        te.setSize(Files.size(p));
                        regular = true;
                    }
                    normalise(te);
                    tar.putArchiveEntry(te);
                    if (regular) { // not te.isFile(): that is also true for symlinks
                        Files.copy(p, tar);
                    }
                    tar.closeArchiveEntry();
                }
                tar.finish();
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "packing " + root + " failed: " + e, e);
        }
    }

    private static void normalise(TarArchiveEntry te) {
        te.setModTime(PACK_MTIME);
        te.setIds(0, 0);
        te.setNames("", ""); // the constructor fills in user.name of the packing JVM
    }

    /** Lets the gzip stream release its deflater on close without closing the caller's stream. */
    private static final class CloseShield extends FilterOutputStream {
        CloseShield(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    // ------------------------------------------------------------------------------------------------ materialize

    /**
     * Turns a PROJECT URI into a local project directory and checks its entry file.
     *
     * <ul>
     *   <li>a local directory is used <b>in place</b> (returned as is, never copied or written): local renders
     *       read the user's files directly, like {@code hyperframes render} does;</li>
     *   <li>a local file is extracted as a tar.gz into {@code workDir/project};</li>
     *   <li>an {@code s3://} object is downloaded to {@code workDir}, extracted into {@code workDir/project}, and
     *       the download deleted.</li>
     * </ul>
     * An existing {@code workDir/project} (a warm Lambda) is replaced. If the entry file is missing, the
     * extracted directory is deleted again.
     *
     * @param entryFile relative path of the composition's HTML file; null or blank means {@code index.html}
     * @return the project root directory
     */
    public static Path materialize(String projectUri, Storage storage, Path workDir, String entryFile) {
        return materialize(projectUri, storage, workDir, entryFile, ArchiveLimits.defaults());
    }

    /** {@link #materialize(String, Storage, Path, String)} with explicit limits (tests: a small disk). */
    public static Path materialize(String projectUri, Storage storage, Path workDir, String entryFile, ArchiveLimits limits) {
        String entry = entryFile == null || entryFile.isBlank() ? Limits.DEFAULT_ENTRY_FILE : entryFile;
        if (entry.startsWith("/") || List.of(entry.split("/")).contains("..")) {
            throw new RenderException(ErrorCode.INVALID_CONFIG,
                    "entryFile '" + entry + "' must be a relative path inside the project (e.g. index.html)");
        }
        StorageUri uri = StorageUri.parse(projectUri);
        Path root;
        if (!uri.isS3()) {
            Path p = uri.path();
            if (Files.isDirectory(p)) {
                root = p;
                checkDirectory(root, limits, workDir);
            } else if (Files.isRegularFile(p)) {
                root = freshProjectDir(workDir);
                try (InputStream in = Files.newInputStream(p)) {
                    extract(in, root, limits);
                } catch (IOException e) {
                    throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot read project archive " + p + ": " + e, e);
                }
            } else {
                throw new RenderException(ErrorCode.PROJECT_NOT_FOUND,
                        "project " + projectUri + " does not exist (expected a directory or a .tar.gz)");
            }
        } else {
            root = freshProjectDir(workDir);
            Path archive = workDir.toAbsolutePath().resolve("project-download.tar.gz");
            try {
                try {
                    storage.download(uri, archive);
                } catch (StorageNotFoundException e) {
                    throw new RenderException(ErrorCode.PROJECT_NOT_FOUND, "project archive " + uri + " does not exist", e);
                }
                try (InputStream in = Files.newInputStream(archive)) {
                    extract(in, root, limits);
                } catch (IOException e) {
                    throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot read downloaded project archive " + archive + ": " + e, e);
                }
            } finally {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException ignored) {
                    // Only disk space; the next materialize overwrites it.
                }
            }
        }
        try {
            checkEntryFile(root, entry, projectUri);
        } catch (RenderException e) {
            if (!root.equals(uri.isS3() ? null : uri.path())) {
                FileTrees.deleteQuietly(root); // only what we extracted; a user's directory is never touched
            }
            throw e;
        }
        return root;
    }

    /** Top-level folders of a directory project that are never compiled, so never checked or counted. */
    private static final Set<String> DIRECTORY_SKIPPED_TOP_LEVEL = Set.of("node_modules", ".git", ".cache", "output",
            "dist", "target", "failures", ".next", ".turbo");

    /**
     * Holds a directory project to the archive's rules (see the class comment); {@code workDir} is where its
     * compiled copy will go, whose disk must hold it once more. Messages name project-relative paths and the
     * rule, never what a link points at outside the project.
     */
    public static void checkDirectory(Path dir, ArchiveLimits limits, Path workDir) {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new RenderException(ErrorCode.PROJECT_NOT_FOUND, "project directory " + dir + " cannot be read: " + e, e);
        }
        long[] counts = new long[2]; // entries, bytes
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (d.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (d.getParent().equals(root) && DIRECTORY_SKIPPED_TOP_LEVEL.contains(d.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    count(d);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    count(f);
                    String rel = root.relativize(f).toString().replace('\\', '/');
                    if (attrs.isSymbolicLink()) {
                        checkDirectoryLink(root, f, rel);
                    } else if (attrs.isRegularFile()) {
                        counts[1] += attrs.size();
                    } else if (!attrs.isDirectory()) {
                        throw projectFile(rel, "FIFOs, devices and sockets are not allowed in a project");
                    }
                    return FileVisitResult.CONTINUE;
                }

                private void count(Path p) {
                    if (++counts[0] > limits.maxEntries()) {
                        throw projectFile(root.relativize(p).toString(), "the project has more than " + limits.maxEntries()
                                + " files and folders (maxEntries); every project file becomes a plan artifact");
                    }
                }
            });
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot read project directory " + dir + ": " + e, e);
        }
        long free = usable(limits, workDir) - limits.reserveBytes();
        if (counts[1] > free) {
            throw new RenderException(ErrorCode.INSUFFICIENT_DISK, "project " + dir + " holds " + counts[1]
                    + " bytes but the work directory's disk has " + Math.max(0, free) + " free above the "
                    + limits.reserveBytes() + " kept for the render; the compiler copies the project there");
        }
    }

    private static void checkDirectoryLink(Path root, Path link, String rel) throws IOException {
        Path real;
        try {
            real = link.toRealPath();
        } catch (NoSuchFileException e) {
            throw projectFile(rel, "symlink points at nothing (its target does not exist)");
        } catch (java.nio.file.FileSystemException e) {
            throw projectFile(rel, "symlink cannot be resolved (a loop of links?)");
        }
        if (!real.startsWith(root)) {
            throw projectFile(rel, "symlink resolves outside the project; links must stay inside the project root"
                    + " (copy the file into the project instead)");
        }
        if (Files.isDirectory(real) && link.getParent().toRealPath().startsWith(real)) {
            throw projectFile(rel, "symlink points at its own folder or one above it (a loop)");
        }
    }

    private static RenderException projectFile(String rel, String rule) {
        return new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID, "project file '" + rel.replace('\\', '/') + "': " + rule);
    }

    private static Path freshProjectDir(Path workDir) {
        Path dir = workDir.toAbsolutePath().normalize().resolve("project");
        FileTrees.deleteQuietly(dir);
        return dir;
    }

    private static void checkEntryFile(Path root, String entry, String projectUri) {
        if (Files.isRegularFile(root.resolve(entry))) {
            return;
        }
        List<String> html;
        try (Stream<Path> s = Files.list(root)) {
            html = s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.toLowerCase(java.util.Locale.ROOT).matches(".*\\.html?$"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            html = List.of();
        }
        throw new RenderException(ErrorCode.ENTRY_FILE_NOT_FOUND, "entry file '" + entry + "' not found in project " + projectUri
                + "; top-level HTML files: " + (html.isEmpty() ? "none" : String.join(", ", html)));
    }
}
