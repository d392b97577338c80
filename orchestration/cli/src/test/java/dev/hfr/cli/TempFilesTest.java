package dev.hfr.cli;

import org.junit.jupiter.api.Tag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 9: a local render leaves nothing in the temp dir (browser profiles, Playwright's artifact
 * folders, Chromium's own temp files). The render runs in its own JVM with a private java.io.tmpdir and
 * TMPDIR, so the count is this render's alone.
 */
@Tag("integration")
class TempFilesTest {
    @TempDir
    Path tmp;

    private static List<String> entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aLocalRenderLeavesNothingInTheTempDir() throws Exception {
        Path privateTmp = Files.createDirectories(tmp.resolve("tmpdir"));
        Path work = tmp.resolve("work");
        Path out = tmp.resolve("hello.mp4");
        assertEquals(List.of(), entries(privateTmp));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Djava.io.tmpdir=" + privateTmp, "-cp",
                System.getProperty("java.class.path"), "dev.hfr.cli.Hf", "render",
                CliTest.repo().resolve("examples/hello").toString(), "-o", out.toString(), "--quiet", "--workers", "2",
                "--chunk-size", "30", "--quality", "draft").redirectErrorStream(true);
        pb.environment().put("TMPDIR", privateTmp.toString());
        pb.environment().put("HFR_WORK_DIR", work.toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "hf did not finish:\n" + log);
        assertEquals(0, p.exitValue(), log);
        assertTrue(Files.isRegularFile(out), log);
        assertEquals(List.of(), entries(privateTmp), "left in the temp dir by one render");
        assertEquals(List.of("plans"), entries(work), "only the bounded plan cache stays in the work root");
    }
}
