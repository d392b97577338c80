package dev.hfr.storage.archive;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.Limits;
import dev.hfr.model.RenderException;
import dev.hfr.storage.LocalStorage;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 items 5 and 8: directory projects obey the archive's symlink rules, and projects are bounded by the
 * disk they unpack onto and by a file count, with typed, non-retryable errors.
 */
class ProjectLimitsTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path tmp;

    private static byte[] tarGz(int emptyFiles, long bigFileBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            TarArchiveEntry index = new TarArchiveEntry("index.html", TarConstants.LF_NORMAL);
            byte[] html = "<html></html>".getBytes(StandardCharsets.UTF_8);
            index.setSize(html.length);
            tar.putArchiveEntry(index);
            tar.write(html);
            tar.closeArchiveEntry();
            for (int i = 0; i < emptyFiles; i++) {
                TarArchiveEntry e = new TarArchiveEntry("empty/" + i + ".txt", TarConstants.LF_NORMAL);
                e.setSize(0);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            if (bigFileBytes > 0) {
                TarArchiveEntry e = new TarArchiveEntry("big.bin", TarConstants.LF_NORMAL);
                e.setSize(bigFileBytes);
                tar.putArchiveEntry(e);
                byte[] zeros = new byte[(int) MB];
                for (long left = bigFileBytes; left > 0; left -= zeros.length) {
                    tar.write(zeros, 0, (int) Math.min(left, zeros.length));
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private static long files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    // ------------------------------------------------------------------ item 8: disk

    @Test
    void archiveLargerThanTheFreeDiskIsInsufficientDiskBeforeWriting() throws IOException {
        ArchiveLimits tenMegabytesFree = ArchiveLimits.defaults().withFreeSpace(dir -> 10 * MB, 0);
        Path target = tmp.resolve("out/project");
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.extract(new ByteArrayInputStream(tarGz(0, 20 * MB)), target, tenMegabytesFree));
        assertEquals(ErrorCode.INSUFFICIENT_DISK, e.code(), e.getMessage());
        assertFalse(e.retryable(), "a full disk is not retried on the same worker");
        assertTrue(e.getMessage().contains("'big.bin' declares " + 20 * MB + " bytes"), e.getMessage());
        assertFalse(Files.exists(target), "nothing is left behind");
        assertEquals(0, files(tmp.resolve("out")), "the refusal comes from the header, before any byte of big.bin");
    }

    @Test
    void theProjectMayUseOnlyItsShareOfTheFreeDiskAboveTheReserve() throws IOException {
        // 10 MB free, 2 MB reserved, stored twice (unpacked + compiled copy): 4 MB for the archive.
        ArchiveLimits disk = ArchiveLimits.defaults().withFreeSpace(dir -> 10 * MB, 2 * MB);
        long html = "<html></html>".length();
        ProjectArchive.extract(new ByteArrayInputStream(tarGz(0, 4 * MB - html)), tmp.resolve("fits"), disk);
        assertEquals(4 * MB - html, Files.size(tmp.resolve("fits/big.bin")));
        RenderException e = assertThrows(RenderException.class, () -> ProjectArchive.extract(
                new ByteArrayInputStream(tarGz(0, 4 * MB - html + 1)), tmp.resolve("too-big"), disk));
        assertEquals(ErrorCode.INSUFFICIENT_DISK, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("at most " + 4 * MB + " bytes"), e.getMessage());
    }

    @Test
    void diskThatFillsUpWhileUnpackingIsInsufficientDisk() throws IOException {
        // Plenty free when unpacking starts, then something else takes the disk: the next measurement (before an
        // entry, at least every 8 MB) sees it.
        AtomicInteger calls = new AtomicInteger();
        ArchiveLimits shrinking = ArchiveLimits.defaults().withFreeSpace(dir -> calls.getAndIncrement() == 0 ? 100 * MB : MB, 0);
        RenderException e = assertThrows(RenderException.class, () -> ProjectArchive.extract(
                new ByteArrayInputStream(tarGz(0, 10 * MB)), tmp.resolve("project"), shrinking));
        assertEquals(ErrorCode.INSUFFICIENT_DISK, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("free above the reserve now"), e.getMessage());
    }

    @Test
    void materializeMeasuresTheWorkDirectorysDisk() throws IOException {
        Path archive = tmp.resolve("p.tar.gz");
        Files.write(archive, tarGz(0, 3 * MB));
        RenderException e = assertThrows(RenderException.class, () -> ProjectArchive.materialize(archive.toString(),
                new LocalStorage(), tmp.resolve("work"), null, ArchiveLimits.defaults().withFreeSpace(dir -> 2 * MB, 0)));
        assertEquals(ErrorCode.INSUFFICIENT_DISK, e.code(), e.getMessage());
    }

    @Test
    void directoryProjectLargerThanTheWorkDisksFreeSpaceIsInsufficientDisk() throws IOException {
        Path dir = tmp.resolve("p");
        write(dir.resolve("index.html"), "<html></html>");
        Files.write(dir.resolve("video.bin"), new byte[(int) (3 * MB)]);
        RenderException e = assertThrows(RenderException.class, () -> ProjectArchive.materialize(dir.toString(),
                new LocalStorage(), tmp.resolve("work"), null, ArchiveLimits.defaults().withFreeSpace(d -> 2 * MB, 0)));
        assertEquals(ErrorCode.INSUFFICIENT_DISK, e.code(), e.getMessage());
    }

    // ------------------------------------------------------------------ item 8: file count

    @Test
    void archiveOfOneEntryMoreThanTheLimitIsRefusedNamingTheLimit() throws IOException {
        Path archive = tmp.resolve("many.tar.gz");
        Files.write(archive, tarGz(Limits.MAX_PROJECT_ENTRIES, 0)); // and index.html: one over the limit
        Path work = tmp.resolve("work");
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.materialize(archive.toString(), new LocalStorage(), work, null));
        assertEquals(ErrorCode.PROJECT_ARCHIVE_INVALID, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("more than " + Limits.MAX_PROJECT_ENTRIES + " entries"), e.getMessage());
        assertEquals(0, files(work), "no file of the project is left to become a plan artifact");
    }

    @Test
    void directoryOfOneFileMoreThanTheLimitIsRefusedNamingTheLimit() throws IOException {
        Path dir = tmp.resolve("many");
        write(dir.resolve("index.html"), "<html></html>");
        Files.createDirectories(dir.resolve("empty"));
        for (int i = 0; i < Limits.MAX_PROJECT_ENTRIES - 1; i++) { // with index.html and the folder: one over the limit
            Files.createFile(dir.resolve("empty/" + i + ".txt"));
        }
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.materialize(dir.toString(), new LocalStorage(), tmp.resolve("work"), null));
        assertEquals(ErrorCode.PROJECT_ARCHIVE_INVALID, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("more than " + Limits.MAX_PROJECT_ENTRIES + " files and folders"), e.getMessage());
    }

    // ------------------------------------------------------------------ item 5: directory symlinks

    @Test
    void directoryProjectWithAFileLinkLeavingTheProjectIsRefusedWithoutItsContent() throws IOException {
        Path secret = write(tmp.resolve("home/.ssh/id_rsa"), "-----BEGIN SECRET KEY----- hunter2");
        Path dir = tmp.resolve("cloned");
        write(dir.resolve("index.html"), "<html><p>notes</p></html>");
        Files.createSymbolicLink(dir.resolve("notes.txt"), secret);
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.materialize(dir.toString(), new LocalStorage(), tmp.resolve("work"), null));
        assertEquals(ErrorCode.PROJECT_ARCHIVE_INVALID, e.code(), e.getMessage());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("'notes.txt'") && e.getMessage().contains("resolves outside the project"),
                e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "the message never carries the linked file's content");
        assertFalse(e.getMessage().contains("id_rsa"), "nor where the link points outside the project");
    }

    @Test
    void relativeFolderLinkLeavingTheProjectIsRefused() throws IOException {
        write(tmp.resolve("elsewhere/photo.png"), "not really a png");
        Path dir = tmp.resolve("p");
        write(dir.resolve("index.html"), "<html></html>");
        Files.createDirectories(dir.resolve("assets"));
        Files.createSymbolicLink(dir.resolve("assets/shared"), Path.of("../../elsewhere"));
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.materialize(dir.toString(), new LocalStorage(), tmp.resolve("work"), null));
        assertEquals(ErrorCode.PROJECT_ARCHIVE_INVALID, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("'assets/shared'"), e.getMessage());
    }

    @Test
    void danglingAndLoopingLinksAreRefusedLikeInAnArchive() throws IOException {
        Path dangling = tmp.resolve("dangling");
        write(dangling.resolve("index.html"), "<html></html>");
        Files.createSymbolicLink(dangling.resolve("gone.png"), Path.of("missing.png"));
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.materialize(dangling.toString(), new LocalStorage(), tmp.resolve("w1"), null));
        assertTrue(e.getMessage().contains("'gone.png'") && e.getMessage().contains("points at nothing"), e.getMessage());

        Path loop = tmp.resolve("loop");
        write(loop.resolve("index.html"), "<html></html>");
        Files.createDirectories(loop.resolve("a"));
        Files.createSymbolicLink(loop.resolve("a/up"), Path.of(".."));
        e = assertThrows(RenderException.class,
                () -> ProjectArchive.materialize(loop.toString(), new LocalStorage(), tmp.resolve("w2"), null));
        assertTrue(e.getMessage().contains("'a/up'") && e.getMessage().contains("loop"), e.getMessage());
    }

    @Test
    void linksThatStayInsideTheProjectAreAccepted() throws IOException {
        Path dir = tmp.resolve("p");
        write(dir.resolve("index.html"), "<html></html>");
        write(dir.resolve("assets/logo.png"), "png");
        Files.createSymbolicLink(dir.resolve("lib"), Path.of("assets"));
        Files.createSymbolicLink(dir.resolve("logo.png"), Path.of("assets/logo.png"));
        // node_modules is never compiled, so its links (pnpm points them outside) are not judged
        Files.createDirectories(dir.resolve("node_modules"));
        Files.createSymbolicLink(dir.resolve("node_modules/gsap"), tmp);
        assertEquals(dir, ProjectArchive.materialize(dir.toString(), new LocalStorage(), tmp.resolve("work"), null));
    }
}
