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
import java.util.List;
import java.util.stream.Stream;

/** Plain (uncompressed: PNGs do not compress further) tar of a flat frame directory, for png-sequence chunks. */
public final class Tar {
    private Tar() {
    }

    public static void pack(Path dir, Path tarFile) {
        try (Stream<Path> s = Files.list(dir);
             OutputStream os = new BufferedOutputStream(Files.newOutputStream(tarFile));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            for (Path f : files) {
                TarArchiveEntry e = new TarArchiveEntry(f.getFileName().toString());
                e.setSize(Files.size(f));
                e.setModTime(0);
                tar.putArchiveEntry(e);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.ENCODE_FAILED, "cannot pack " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Unpacks a flat frame tar written by {@link #pack}; names with a path are refused. */
    public static void unpack(Path tarFile, Path dir) {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(tarFile));
             TarArchiveInputStream tar = new TarArchiveInputStream(is)) {
            Files.createDirectories(dir);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                if (!e.isFile() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                    throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "unexpected entry " + name + " in chunk " + tarFile);
                }
                Files.copy(tar, dir.resolve(name));
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.ASSEMBLE_FAILED, "cannot unpack " + tarFile + ": " + e.getMessage(), e);
        }
    }
}
