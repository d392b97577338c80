package dev.hfr.engine.support;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The compiled project as one plain tar, so a chunk's cost does not grow with the project's file count: the plan
 * packs every file every chunk needs (paths relative to the plan directory, sorted, mtime 0, so equal sites give
 * equal bytes and one content-addressed blob), and a chunk downloads it once and unpacks it into its plan
 * directory. The whole compiled folder is still there for the page, which may fetch any project file at run time.
 */
public final class SiteBundle {
    private SiteBundle() {
    }

    /** Packs {@code files} (relative to {@code planDir}) into {@code bundle}. */
    public static void pack(Path planDir, List<String> files, Path bundle) {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(bundle));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String rel : files.stream().sorted().toList()) {
                Path f = planDir.resolve(rel);
                TarArchiveEntry e = new TarArchiveEntry(rel);
                e.setSize(Files.size(f));
                e.setModTime(0);
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot pack the compiled project into " + bundle + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Unpacks {@code bundle} (already verified against its digest) into {@code planDir} once: a marker named after
     * its digest says it is done, so a warm worker's next chunk of the same plan does nothing. Each file is written
     * to a temporary sibling and renamed into place, so chunks of the same plan unpacking at once in one work root
     * only ever see whole files. Only regular files under {@code compiled/} are accepted.
     */
    public static void unpackOnce(Path bundle, String sha256, Path planDir) {
        Path marker = planDir.resolve(".site-" + sha256 + ".unpacked");
        if (Files.exists(marker)) {
            return;
        }
        Path root = planDir.toAbsolutePath().normalize();
        String suffix = ".part-" + Thread.currentThread().threadId();
        try (InputStream is = new BufferedInputStream(Files.newInputStream(bundle));
             TarArchiveInputStream tar = new TarArchiveInputStream(is)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = root.resolve(e.getName()).normalize();
                if (!e.isFile() || !target.startsWith(root.resolve("compiled"))) {
                    throw new RenderException(ErrorCode.PLAN_ARTIFACT_DIGEST_MISMATCH, "the plan's site bundle "
                            + bundle.getFileName() + " has the entry " + e.getName() + ": expected files under compiled/");
                }
                Files.createDirectories(target.getParent());
                Path tmp = target.resolveSibling(target.getFileName() + suffix);
                Files.copy(tar, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.writeString(marker, sha256);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot unpack the plan's site bundle into " + planDir
                    + ": " + e.getMessage(), e);
        }
    }
}
