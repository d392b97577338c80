package dev.hfr.cli;

import dev.hfr.local.LocalRenderRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.hfr.cli.CliTest.hf;
import static dev.hfr.cli.CliTest.repo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13 item 10: bad flags are refused with INVALID_CONFIG, all at once, naming the flag. */
class HostileFlagsTest {
    @TempDir
    Path tmp;

    @Test
    void aVarWithoutANameIsRefusedNamingTheFlag() {
        Path out = tmp.resolve("x.mp4");
        CliTest.Result r = hf("render", repo().resolve("examples/hello").toString(), "-o", out.toString(),
                "--var", "=x", "--quiet");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("INVALID_CONFIG") && r.err().contains("--var: got \"=x\""), r.err());
        assertFalse(r.err().contains("planned"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void zeroWorkersIsReportedTogetherWithTheOtherViolations() {
        CliTest.Result r = hf("render", repo().resolve("examples/hello").toString(), "-o", tmp.resolve("x.mp4").toString(),
                "--workers", "0", "--fps", "121", "--crf", "70");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--workers: got 0") && r.err().contains("fps: got 121")
                && r.err().contains("crf: got 70"), r.err());
    }

    @Test
    void workersAreBoundedByTheMachine() {
        int tooMany = LocalRenderRequest.maxWorkers() + 1;
        CliTest.Result r = hf("render", repo().resolve("examples/hello").toString(), "-o", tmp.resolve("x.mp4").toString(),
                "--workers", Integer.toString(tooMany));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--workers: got " + tooMany + ", expected 1.." + LocalRenderRequest.maxWorkers())
                && r.err().contains("per core"), r.err());
        assertTrue(LocalRenderRequest.maxWorkers() <= Runtime.getRuntime().availableProcessors() * 4);
    }
}
