package dev.hfr.cli;

import org.junit.jupiter.api.Tag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-C during a render: exit 130, no file at OUT, no browser left running, work directory removed. */
@Tag("integration")
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    void sigintLeavesNoPartialOutput() throws Exception {
        Path out = tmp.resolve("teaser.mp4");
        Path work = tmp.resolve("hfr-work");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.hfr.cli.Hf",
                "render", CliTest.repo().resolve("examples/launch-teaser").toString(), "-o", out.toString(), "--quiet",
                "--workers", "1");
        pb.environment().put("HFR_WORK_DIR", work.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.append(line).append('\n');
                if (line.startsWith("progress 10%")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    break;
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "hf did not stop after SIGINT:\n" + log);
            r.lines().forEach(l -> log.append(l).append('\n'));
        }
        assertEquals(130, p.exitValue(), log.toString());
        assertFalse(Files.exists(out), "a partial output was left at OUT");
        try (Stream<Path> s = Files.exists(work) ? Files.list(work) : Stream.empty()) {
            List<Path> left = s.filter(f -> !f.getFileName().toString().equals("plans")).toList();
            assertEquals(List.of(), left, "temporary render directories were left behind");
        }
        assertTrue(p.descendants().noneMatch(ProcessHandle::isAlive), "a browser or ffmpeg survived the interrupt");
    }
}
