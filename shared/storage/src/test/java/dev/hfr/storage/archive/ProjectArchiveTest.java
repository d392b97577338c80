package dev.hfr.storage.archive;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.storage.LocalStorage;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectArchiveTest {

    @TempDir
    Path tmp;

    // ------------------------------------------------------------------ archive builder for crafted inputs

    /** One crafted tar entry: name, type flag, link target (or null) and content (files only). */
    private record E(String name, byte type, String link, byte[] content) {
        static E file(String name, String content) {
            return new E(name, TarConstants.LF_NORMAL, null, content.getBytes(StandardCharsets.UTF_8));
        }

        static E dir(String name) {
            return new E(name, TarConstants.LF_DIR, null, null);
        }

        static E symlink(String name, String target) {
            return new E(name, TarConstants.LF_SYMLINK, target, null);
        }

        static E hardlink(String name, String target) {
            return new E(name, TarConstants.LF_LINK, target, null);
        }
    }

    private static byte[] tarGz(E... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (E e : entries) {
                TarArchiveEntry te = new TarArchiveEntry(e.name(), e.type(), true); // keep "/" and ".." verbatim
                if (e.link() != null) {
                    te.setLinkName(e.link());
                }
                if (e.type() == TarConstants.LF_CHR) {
                    te.setDevMajor(1);
                    te.setDevMinor(3);
                }
                if (e.content() != null) {
                    te.setSize(e.content().length);
                }
                tar.putArchiveEntry(te);
                if (e.content() != null) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Extracts into tmp/out/project and asserts the failure: code, entry named, rule named, nothing left. */
    private RenderException assertRejected(byte[] archive, ArchiveLimits limits, String entry, String rule) throws IOException {
        Path parent = tmp.resolve("out");
        Path target = parent.resolve("project");
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.extract(new ByteArrayInputStream(archive), target, limits));
        assertEquals(ErrorCode.PROJECT_ARCHIVE_INVALID, e.code(), e.getMessage());
        if (entry != null) {
            assertTrue(e.getMessage().contains("'" + entry + "'"), "message names the entry: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains(rule), "message names the rule '" + rule + "': " + e.getMessage());
        assertFalse(Files.exists(target), "no target directory is left");
        try (Stream<Path> s = Files.list(parent)) {
            assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().equals("secret")).toList(),
                    "no temp directory is left next to the target");
        }
        return e;
    }

    private RenderException assertRejected(byte[] archive, String entry, String rule) throws IOException {
        return assertRejected(archive, ArchiveLimits.defaults(), entry, rule);
    }

    // ------------------------------------------------------------------ one test per bad archive

    @Test
    void absolutePathIsRejected() throws IOException {
        assertRejected(tarGz(E.file("index.html", "<html>"), E.file("/etc/cron.d/evil", "x")), "/etc/cron.d/evil", "absolute path");
    }

    @Test
    void dotDotTraversalIsRejected() throws IOException {
        assertRejected(tarGz(E.file("index.html", "<html>"), E.file("assets/../../x", "x")), "assets/../../x", "'..' segment");
    }

    @Test
    void symlinkToEtcPasswdIsRejected() throws IOException {
        assertRejected(tarGz(E.file("index.html", "<html>"), E.symlink("passwd", "/etc/passwd")), "passwd", "absolute");
    }

    @Test
    void relativeSymlinkLeavingTheProjectIsRejected() throws IOException {
        assertRejected(tarGz(E.dir("a/"), E.symlink("a/up", "../../x")), "a/up", "outside the project");
    }

    @Test
    void symlinkChainThroughADotLinkIsCaughtByTheKernelCheck() throws IOException {
        // "self -> ." is inside; "escape -> self/../secret" looks inside lexically but is ../secret for the kernel.
        Files.createDirectories(tmp.resolve("out"));
        Files.writeString(tmp.resolve("out/secret"), "outside");
        assertRejected(tarGz(E.symlink("self", "."), E.symlink("escape", "self/../secret")), "escape", "outside the project");
    }

    @Test
    void hardLinkToParentIsRejected() throws IOException {
        assertRejected(tarGz(E.file("index.html", "<html>"), E.hardlink("x", "../x")), "x", "'..' segment");
    }

    @Test
    void charDeviceIsRejected() throws IOException {
        assertRejected(tarGz(E.file("index.html", "<html>"), new E("dev/null", TarConstants.LF_CHR, null, null)),
                "dev/null", "device and FIFO");
    }

    @Test
    void fifoIsRejected() throws IOException {
        assertRejected(tarGz(new E("pipe", TarConstants.LF_FIFO, null, null)), "pipe", "device and FIFO");
    }

    @Test
    void tooManyEntriesIsRejected() throws IOException {
        assertRejected(tarGz(E.file("a", "1"), E.file("b", "2"), E.file("c", "3"), E.file("d", "4")),
                new ArchiveLimits(1_000_000, 3), "d", "more than 3 entries");
    }

    @Test
    void tooManyBytesIsRejected() throws IOException {
        assertRejected(tarGz(E.file("small.txt", "x".repeat(600)), E.file("big.txt", "y".repeat(600))),
                new ArchiveLimits(1000, 100), "big.txt", "more than 1000 bytes");
    }

    @Test
    void plainTextNamedTarGzIsRejected() throws IOException {
        assertRejected("this is not an archive\n".getBytes(StandardCharsets.UTF_8), null, "not gzip-compressed");
    }

    @Test
    void gzipThatIsNotATarIsRejected() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes)) {
            gz.write("just text, compressed, and long enough to fill part of a header block".repeat(20).getBytes(StandardCharsets.UTF_8));
        }
        assertRejected(bytes.toByteArray(), null, "not a valid tar.gz");
    }

    @Test
    void missingEntryFileIsReportedWithTheHtmlFilesFound() throws IOException {
        Path archive = tmp.resolve("project.tar.gz");
        Files.write(archive, tarGz(E.file("main.html", "<html>"), E.file("about.htm", "<html>"), E.file("style.css", "a{}")));
        Path work = tmp.resolve("work");
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.materialize(archive.toString(), new LocalStorage(), work, null));
        assertEquals(ErrorCode.ENTRY_FILE_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("'index.html'"), e.getMessage());
        assertTrue(e.getMessage().contains("about.htm, main.html"), e.getMessage());
        assertFalse(Files.exists(work.resolve("project")), "the extracted project is removed again");
    }

    // ------------------------------------------------------------------ good archives

    @Test
    void symlinksInsideTheProjectAreKeptAndHardLinksCopied() throws IOException {
        Path target = tmp.resolve("project");
        byte[] archive = tarGz(E.dir("./"), E.file("assets/logo.svg", "<svg/>"), E.symlink("img", "assets"),
                E.symlink("assets/alias.svg", "logo.svg"), E.hardlink("copy.svg", "assets/logo.svg"), E.file("index.html", "<html>"));
        ProjectArchive.extract(new ByteArrayInputStream(archive), target, ArchiveLimits.defaults());
        assertTrue(Files.isSymbolicLink(target.resolve("img")));
        assertEquals("<svg/>", Files.readString(target.resolve("img/logo.svg")));
        assertEquals("<svg/>", Files.readString(target.resolve("assets/alias.svg")));
        assertFalse(Files.isSymbolicLink(target.resolve("copy.svg")));
        assertEquals("<svg/>", Files.readString(target.resolve("copy.svg")));
    }

    @Test
    void danglingSymlinkIsRejected() throws IOException {
        assertRejected(tarGz(E.symlink("gone", "missing.txt")), "gone", "does not exist");
    }

    @Test
    void extractIntoAnExistingNonEmptyDirectoryIsRefusedWithoutTouchingIt() throws IOException {
        Path target = tmp.resolve("full");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "mine");
        byte[] archive = tarGz(E.file("index.html", "<html>"));
        assertThrows(RenderException.class,
                () -> ProjectArchive.extract(new ByteArrayInputStream(archive), target, ArchiveLimits.defaults()));
        assertEquals("mine", Files.readString(target.resolve("keep.txt")));
    }

    // ------------------------------------------------------------------ pack

    private Path sampleProject() throws IOException {
        Path dir = tmp.resolve("src");
        Files.createDirectories(dir.resolve("assets/fonts"));
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("index.html"), "<html><body>hi</body></html>");
        Files.writeString(dir.resolve("assets/app.js"), "gsap.timeline()");
        Files.write(dir.resolve("assets/fonts/Inter.woff2"), new byte[] {0, 1, 2, 3, (byte) 0xff});
        Files.writeString(dir.resolve("assets/" + "very-long-name-".repeat(8) + ".css"), "a{}");
        Files.writeString(dir.resolve("assets/ünïcødé.txt"), "ü");
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("img"), Path.of("assets"));
        for (String skipped : List.of("node_modules/x", ".git/HEAD", "output/out.mp4", "dist/a.js", "target/t", ".cache/c")) {
            Files.createDirectories(dir.resolve(skipped).getParent());
            Files.writeString(dir.resolve(skipped), "skip me");
        }
        Files.createDirectories(dir.resolve("assets/node_modules"));
        Files.writeString(dir.resolve("assets/node_modules/kept.js"), "only top-level dirs are skipped");
        return dir;
    }

    private static byte[] pack(Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProjectArchive.pack(dir, out);
        return out.toByteArray();
    }

    private static void touchAll(Path dir, long millis) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(millis));
            }
        }
    }

    @Test
    void packIsByteIdenticalWhateverTheMtimesAndUser() throws IOException {
        Path dir = sampleProject();
        touchAll(dir, 1_000_000_000_000L);
        byte[] first = pack(dir);
        touchAll(dir, 1_700_000_000_000L);
        String user = System.getProperty("user.name");
        System.setProperty("user.name", "someone-else");
        byte[] second;
        try {
            second = pack(dir);
        } finally {
            System.setProperty("user.name", user);
        }
        assertArrayEquals(first, second);
        assertEquals(0, first[4] | first[5] | first[6] | first[7], "gzip header mtime is 0");
    }

    @Test
    void packSortsEntriesAndNormalisesMetadata() throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(pack(sampleProject()))))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(0, e.getModTime().getTime(), e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("", e.getUserName());
                assertEquals("", e.getGroupName());
                int perm = e.getMode() & 0777;
                if (e.isSymbolicLink()) {
                    assertEquals("assets", e.getLinkName());
                } else if (e.isFile()) {
                    assertEquals(e.getName().equals("run.sh") ? 0755 : 0644, perm, e.getName());
                } else if (e.isDirectory()) {
                    assertEquals(0755, perm, e.getName());
                }
            }
        }
        assertEquals(names.stream().sorted().toList(), names, "entries sorted by path");
        assertTrue(names.contains("assets/node_modules/kept.js"));
        assertTrue(names.contains("empty/"));
        assertTrue(names.stream().noneMatch(n -> n.matches("^(node_modules|\\.git|output|dist|target|\\.cache)/.*")), names.toString());
    }

    @Test
    void extractOfPackRoundTripsContent() throws IOException {
        Path dir = sampleProject();
        Path target = tmp.resolve("round/project");
        ProjectArchive.extract(new ByteArrayInputStream(pack(dir)), target, ArchiveLimits.defaults());
        Map<String, String> expected = contents(dir);
        expected.keySet().removeIf(k -> k.matches("^(node_modules|\\.git|output|dist|target|\\.cache)/.*"));
        assertEquals(expected, contents(target));
        assertTrue(Files.isSymbolicLink(target.resolve("img")));
        assertTrue(Files.isExecutable(target.resolve("run.sh")));
        assertTrue(Files.isDirectory(target.resolve("empty")));
    }

    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> Files.isRegularFile(p) && !Files.isSymbolicLink(p)).toList()) {
                out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ materialize (local)

    @Test
    void materializeUsesALocalDirectoryInPlace() throws IOException {
        Path dir = sampleProject();
        assertEquals(dir, ProjectArchive.materialize(dir.toString(), new LocalStorage(), tmp.resolve("work"), "index.html"));
        assertFalse(Files.exists(tmp.resolve("work/project")));
    }

    @Test
    void materializeExtractsALocalArchiveAndChecksANestedEntry() throws IOException {
        Path archive = tmp.resolve("p.tar.gz");
        Files.write(archive, tarGz(E.file("comps/intro.html", "<html>")));
        Path root = ProjectArchive.materialize(archive.toString(), new LocalStorage(), tmp.resolve("work"), "comps/intro.html");
        assertEquals(tmp.resolve("work/project"), root);
        assertEquals("<html>", Files.readString(root.resolve("comps/intro.html")));
        // A second materialize (warm worker) replaces the previous project.
        Files.write(archive, tarGz(E.file("comps/intro.html", "<html>v2")));
        ProjectArchive.materialize(archive.toString(), new LocalStorage(), tmp.resolve("work"), "comps/intro.html");
        assertEquals("<html>v2", Files.readString(root.resolve("comps/intro.html")));
    }

    @Test
    void materializeOfAMissingPathIsProjectNotFound() {
        String missing = tmp.resolve("nope.tar.gz").toString();
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.materialize(missing, new LocalStorage(), tmp.resolve("work"), null));
        assertEquals(ErrorCode.PROJECT_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    @Test
    void entryFileEscapingTheProjectIsInvalidConfig() throws IOException {
        Path dir = sampleProject();
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectArchive.materialize(dir.toString(), new LocalStorage(), tmp.resolve("work"), "../index.html"));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    }
}
