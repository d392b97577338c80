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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C (SIGINT to the hf JVM): exit 130 within 3 s with "interrupted; no output was written", no file at
 * OUT, work directory removed, and every process hf had started when the signal came is dead afterwards.
 * The process tree is captured while the render runs: once hf has exited its children are re-parented, so
 * asking the exited process for its descendants would always find none. hf is started with SIGINT at its default
 * disposition whatever this JVM inherited (see the ProcessBuilder).
 */
@Tag("integration")
class InterruptTest {
    private static final long MAX_STOP_MILLIS = 3_000;

    @TempDir
    Path tmp;

    record Interrupted(String log, Map<ProcessHandle, String> tree, long stopMillis, int exit) {
    }

    private Interrupted interruptWhen(Predicate<String> line) throws Exception {
        Path out = tmp.resolve("teaser.mp4");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // env --default-signal=INT: a process started with SIGINT ignored keeps ignoring it (the JVM then installs
        // no handler, as Unix asks), and SIG_IGN is inherited: a suite started as a background job of a script
        // (`./scripts/test.sh &`, nohup) would hand hf an ignored SIGINT and this test would fail for the launcher
        ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT", java,
                "-cp", System.getProperty("java.class.path"), "dev.hfr.cli.Hf",
                "render", CliTest.repo().resolve("examples/launch-teaser").toString(), "-o", out.toString(), "--quiet",
                "--workers", "1");
        pb.environment().put("HFR_WORK_DIR", tmp.resolve("hfr-work").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        StringBuilder log = new StringBuilder();
        Map<ProcessHandle, String> tree = Map.of();
        long signalled = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                log.append(l).append('\n');
                if (line.test(l)) {
                    // with their command lines: a dead process no longer reports its command
                    tree = p.descendants().collect(Collectors.toMap(h -> h, h -> h.info().command().orElse("?")));
                    signalled = System.nanoTime();
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    break;
                }
            }
            assertTrue(signalled != 0, "the render ended before the interrupt point:\n" + log);
            boolean stopped = p.waitFor(60, TimeUnit.SECONDS);
            long stopMillis = (System.nanoTime() - signalled) / 1_000_000;
            if (!stopped) {
                p.destroyForcibly();
            }
            assertTrue(stopped, "hf did not stop after SIGINT:\n" + log);
            r.lines().forEach(x -> log.append(x).append('\n'));
            assertFalse(Files.exists(out), "a partial output was left at OUT");
            Path work = tmp.resolve("hfr-work");
            try (Stream<Path> s = Files.exists(work) ? Files.list(work) : Stream.empty()) {
                List<Path> left = s.filter(f -> !f.getFileName().toString().equals("plans")).toList();
                assertEquals(List.of(), left, "temporary render directories were left behind");
            }
            return new Interrupted(log.toString(), tree, stopMillis, p.exitValue());
        }
    }

    private static void assertAllDead(Map<ProcessHandle, String> tree) {
        for (ProcessHandle h : tree.keySet()) {
            try {
                // SIGKILLed processes are gone at once; a bounded wait only absorbs reaping
                h.onExit().get(1, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // asserted below
            }
            // a zombie has exited and holds nothing but its pid until init reaps it (sandboxed renderers' parents are
            // gone, so reaping waits for PID 1, which is slow under load)
            String state = h.isAlive() ? (dev.hfr.model.ProcessTrees.zombie(h) ? "a zombie" : "running") : "gone";
            assertFalse(h.isAlive() && !dev.hfr.model.ProcessTrees.zombie(h),
                    "process " + h.pid() + " (" + tree.get(h) + ") survived the interrupt: " + state);
        }
    }

    @Test
    void sigintDuringRenderingStopsWithin3sAndLeavesNoProcess() throws Exception {
        Interrupted r = interruptWhen(l -> l.startsWith("progress 10%"));
        assertTrue(r.tree().values().stream().anyMatch(c -> c.contains("chrom")),
                "no browser was running when the signal came, so the test proves nothing: " + r.tree());
        assertEquals(130, r.exit(), r.log());
        assertTrue(r.log().contains("interrupted; no output was written"), r.log());
        assertTrue(r.stopMillis() <= MAX_STOP_MILLIS, "hf took " + r.stopMillis() + " ms to stop:\n" + r.log());
        assertAllDead(r.tree());
    }

    @Test
    void sigintDuringThePlanSaysInterrupted() throws Exception {
        Interrupted r = interruptWhen(l -> l.equals("plan: probe"));
        assertEquals(130, r.exit(), r.log());
        assertTrue(r.log().contains("interrupted; no output was written"), r.log());
        assertFalse(r.log().contains("BROWSER_UNAVAILABLE"), r.log());
        assertTrue(r.stopMillis() <= MAX_STOP_MILLIS, "hf took " + r.stopMillis() + " ms to stop:\n" + r.log());
        assertAllDead(r.tree());
    }
}
