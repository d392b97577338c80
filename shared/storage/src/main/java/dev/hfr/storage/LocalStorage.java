package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link Storage} over the local file system; a URI's {@link StorageUri#path()} is the file.
 *
 * <p>Readers never see half-written files: every write goes to a hidden temp file in the same directory
 * and is renamed into place. Temp files start with {@link #TEMP_PREFIX} and are never listed.
 */
public final class LocalStorage implements Storage {

    /** Prefix of in-flight temp files; {@link #list} skips them. */
    public static final String TEMP_PREFIX = ".hfr-tmp-";

    @Override
    public boolean exists(StorageUri uri) {
        return Files.isRegularFile(path(uri));
    }

    @Override
    public long size(StorageUri uri) {
        Path p = path(uri);
        try {
            if (!Files.isRegularFile(p)) {
                throw new StorageNotFoundException(uri);
            }
            return Files.size(p);
        } catch (NoSuchFileException e) {
            throw new StorageNotFoundException(uri);
        } catch (IOException e) {
            throw error("size of", uri, e);
        }
    }

    @Override
    public byte[] read(StorageUri uri) {
        Path p = path(uri);
        try {
            requireFile(uri, p);
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new StorageNotFoundException(uri);
        } catch (IOException e) {
            throw error("read", uri, e);
        }
    }

    @Override
    public InputStream open(StorageUri uri) {
        Path p = path(uri);
        try {
            requireFile(uri, p);
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new StorageNotFoundException(uri);
        } catch (IOException e) {
            throw error("open", uri, e);
        }
    }

    @Override
    public void download(StorageUri uri, Path target) {
        Path p = path(uri);
        requireFile(uri, p);
        try {
            writeAtomically(target, tmp -> Files.copy(p, tmp, StandardCopyOption.REPLACE_EXISTING));
        } catch (NoSuchFileException e) {
            throw new StorageNotFoundException(uri);
        } catch (IOException e) {
            throw error("download", uri, e);
        }
    }

    @Override
    public void write(StorageUri uri, byte[] bytes) {
        try {
            writeAtomically(path(uri), tmp -> Files.write(tmp, bytes));
        } catch (IOException e) {
            throw error("write", uri, e);
        }
    }

    @Override
    public void upload(Path source, StorageUri uri) {
        if (!Files.isRegularFile(source)) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "upload to " + uri + ": source file " + source + " does not exist");
        }
        try {
            writeAtomically(path(uri), tmp -> Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING));
        } catch (IOException e) {
            throw error("upload " + source + " to", uri, e);
        }
    }

    @Override
    public boolean writeIfAbsent(StorageUri uri, byte[] bytes) {
        return createIfAbsent(uri, tmp -> Files.write(tmp, bytes));
    }

    @Override
    public boolean uploadIfAbsent(Path source, StorageUri uri) {
        if (!Files.isRegularFile(source)) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "upload to " + uri + ": source file " + source + " does not exist");
        }
        return createIfAbsent(uri, tmp -> Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    /** Fills a temp file next to the target, then gives it the target's name only if that name is free. */
    private boolean createIfAbsent(StorageUri uri, TempWriter writer) {
        Path target = path(uri);
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = tempFileNextTo(target);
            writer.fill(tmp);
            try {
                // link(2) fails with EEXIST if the name exists: one atomic step, so exactly one of N racing
                // callers wins, and the winner's file is complete before its name appears.
                Files.createLink(target, tmp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException linkUnsupported) {
                // File systems without hard links: a move without REPLACE_EXISTING is only check-then-rename.
                try {
                    Files.move(tmp, target);
                    tmp = null;
                    return true;
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
            }
        } catch (IOException e) {
            throw error("create", uri, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public List<StorageUri> list(StorageUri prefix) {
        Path dir = path(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StorageUri> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX))
                    .map(Path::toString)
                    .sorted(Comparator.naturalOrder())
                    .forEach(s -> out.add(new StorageUri("file", "", s)));
        } catch (IOException | UncheckedIOException e) {
            // A file deleted while walking surfaces as UncheckedIOException.
            throw new RenderException(ErrorCode.STORAGE_ERROR, "list " + prefix + " failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void delete(StorageUri uri) {
        try {
            Files.deleteIfExists(path(uri));
        } catch (IOException e) {
            throw error("delete", uri, e);
        }
    }

    private static Path path(StorageUri uri) {
        if (uri.isS3()) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "LocalStorage was given an S3 URI: " + uri);
        }
        return uri.path();
    }

    private static void requireFile(StorageUri uri, Path p) {
        if (!Files.isRegularFile(p)) {
            throw new StorageNotFoundException(uri);
        }
    }

    @FunctionalInterface
    private interface TempWriter {
        void fill(Path tmp) throws IOException;
    }

    /** Fills a temp file next to {@code target}, then renames it over {@code target}. */
    static void writeAtomically(Path target, TempWriter writer) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = tempFileNextTo(target);
        try {
            writer.fill(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static Path tempFileNextTo(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        return Files.createTempFile(parent, TEMP_PREFIX + target.getFileName() + "-", ".tmp");
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: a stray temp file is hidden from list() and harmless.
        }
    }

    private static RenderException error(String op, StorageUri uri, IOException e) {
        return new RenderException(ErrorCode.STORAGE_ERROR, op + " " + uri + " failed: " + e, e);
    }
}
