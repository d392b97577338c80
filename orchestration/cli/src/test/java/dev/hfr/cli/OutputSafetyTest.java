package dev.hfr.cli;

import org.junit.jupiter.api.Tag;

import dev.hfr.engine.assemble.LocalOutput;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.hfr.cli.CliTest.hf;
import static dev.hfr.cli.CliTest.repo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 1: {@code -o} must never delete or overwrite what hf did not write. Every case is a hostile
 * output built here on copies (a project, a user's folder, the current folder), refused with exit 2 before the
 * render starts, and the files are still there afterwards.
 */
@Tag("integration")
class OutputSafetyTest {
    @TempDir
    Path tmp;

    private Path project() throws Exception {
        Path p = tmp.resolve("p");
        Files.createDirectories(p);
        Files.copy(repo().resolve("examples/hello/index.html"), p.resolve("index.html"));
        return p;
    }

    private static void assertRefusedBeforeRender(CliTest.Result r, String... mustName) {
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("OUTPUT_PATH_UNSAFE"), r.err());
        for (String s : mustName) {
            assertTrue(r.err().contains(s), "the message should name " + s + ":\n" + r.err());
        }
        assertFalse(r.err().contains("planned"), "refused only after planning:\n" + r.err());
    }

    @Test
    void aUsersNonEmptyFolderIsNotWipedByAPngSequence() throws Exception {
        Path videos = tmp.resolve("Videos");
        Files.createDirectories(videos);
        Files.writeString(videos.resolve("holiday.mp4"), "precious");
        CliTest.Result r = hf("render", project().toString(), "-o", videos.toString(), "--quiet");
        assertRefusedBeforeRender(r, videos.toString(), LocalOutput.MARKER);
        assertEquals("precious", Files.readString(videos.resolve("holiday.mp4")));
    }

    @Test
    void theProjectItselfIsRefused() throws Exception {
        Path p = project();
        CliTest.Result r = hf("render", p.toString(), "-o", p.toString(), "--format", "png-sequence", "--quiet");
        assertRefusedBeforeRender(r, p.toString());
        assertTrue(Files.isRegularFile(p.resolve("index.html")));
    }

    @Test
    void anAncestorOfTheProjectIsRefusedEvenWhenEmptyOfOtherFiles() throws Exception {
        Path p = project();
        CliTest.Result r = hf("render", p.toString(), "-o", tmp.toString(), "--quiet");
        assertRefusedBeforeRender(r, "contains the input");
        assertTrue(Files.isRegularFile(p.resolve("index.html")));
    }

    @Test
    void aFileOfTheProjectIsNotOverwrittenByTheVideo() throws Exception {
        Path p = project();
        String html = Files.readString(p.resolve("index.html"));
        CliTest.Result r = hf("render", p.toString(), "-o", p.resolve("index.html").toString(), "--format", "mp4",
                "--quiet");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("index.html"), r.err());
        assertEquals(html, Files.readString(p.resolve("index.html")));
    }

    @Test
    void anArchiveIsNotRenderedOntoItself() throws Exception {
        Path archive = tmp.resolve("p.tar.gz");
        byte[] html = Files.readAllBytes(repo().resolve("examples/hello/index.html"));
        try (OutputStream os = Files.newOutputStream(archive);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(os);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            TarArchiveEntry e = new TarArchiveEntry("index.html");
            e.setSize(html.length);
            tar.putArchiveEntry(e);
            tar.write(html);
            tar.closeArchiveEntry();
        }
        byte[] before = Files.readAllBytes(archive);
        CliTest.Result r = hf("render", archive.toString(), "-o", archive.toString(), "--format", "mp4", "--quiet");
        assertRefusedBeforeRender(r, archive.toString(), "it is the input");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(archive)), "the archive was changed");
    }

    @Test
    void aSymlinkCannotPointTheOutputAtTheProject() throws Exception {
        Path p = project();
        Path link = tmp.resolve("frames");
        Files.createSymbolicLink(link, p);
        CliTest.Result r = hf("render", p.toString(), "-o", link.toString(), "--quiet");
        assertRefusedBeforeRender(r, link.toString());
        assertTrue(Files.isRegularFile(p.resolve("index.html")));
    }

    @Test
    void anExistingFolderForAVideoFailsBeforeTheRender() throws Exception {
        Path dir = tmp.resolve("out.mp4");
        Files.createDirectories(dir);
        CliTest.Result r = hf("render", project().toString(), "-o", dir.toString(), "--quiet");
        assertRefusedBeforeRender(r, dir.toString(), "is a folder");
    }

    @Test
    void aFormatThatContradictsTheExtensionIsRefusedNamingBoth() throws Exception {
        Path out = tmp.resolve("x.mp4");
        CliTest.Result r = hf("render", project().toString(), "-o", out.toString(), "--format", "webm", "--quiet");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("INVALID_CONFIG") && r.err().contains("x.mp4") && r.err().contains(".webm")
                && r.err().contains("says mp4"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void theCurrentFolderIsNotWiped() throws Exception {
        Path cwd = tmp.resolve("cwd");
        Files.createDirectories(cwd);
        Files.writeString(cwd.resolve("notes.txt"), "keep me");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.hfr.cli.Hf",
                "render", project().toString(), "-o", ".", "--format", "png-sequence", "--quiet")
                .directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("HFR_WORK_DIR", tmp.resolve("work").toString());
        Process proc = pb.start();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "hf did not finish");
        String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, proc.exitValue(), log);
        assertTrue(log.contains("OUTPUT_PATH_UNSAFE") && log.contains("the current folder"), log);
        assertEquals("keep me", Files.readString(cwd.resolve("notes.txt")));
    }

    @Test
    void anEarlierPngSequenceOfOursIsReplacedAndMarked() throws Exception {
        Path p = project();
        Path frames = tmp.resolve("frames");
        Files.createDirectories(frames); // an empty folder may be used
        for (int run = 0; run < 2; run++) {
            CliTest.Result r = hf("render", p.toString(), "-o", frames.toString(), "--quiet", "--quality", "draft",
                    "--fps", "24", "--workers", "1");
            assertEquals(0, r.exit(), "run " + run + ": " + r.err());
        }
        assertTrue(Files.isRegularFile(frames.resolve(LocalOutput.MARKER)), "our folder carries the marker");
        try (Stream<Path> s = Files.list(frames)) {
            assertEquals(48, s.filter(f -> f.getFileName().toString().endsWith(".png")).count());
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.filter(f -> f.getFileName().toString().startsWith(".frames")).count(),
                    "staging or old folders were left next to the output");
        }
    }
}
