package dev.hfr.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a new user meets first: typos in commands and options, and where an error message sends them. */
class HfUnknownInputTest {
    @TempDir
    Path tmp;

    @Test
    void aMistypedCommandExits2WithTheNearestCommand() {
        CliTest.Result r = CliTest.hf("rendr", "examples/hello", "-o", tmp.resolve("x.mp4").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("hf: Unknown command: 'rendr'; did you mean render?"), r.err());
        assertTrue(r.err().contains("see: hf --help"), r.err());
    }

    @Test
    void anUnknownCommandWithHelpIsStillUnknown() {
        // issue 18: `hf cloud --help` printed the top-level help and exited 0 (before hf cloud existed)
        CliTest.Result r = CliTest.hf("deploy", "--help");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("hf: Unknown command: 'deploy'"), r.err());
        assertFalse(r.err().contains("did you mean"), "no command is near 'deploy': " + r.err());
        assertFalse(r.out().contains("Usage:"), "no usage on stdout: " + r.out());
    }

    @Test
    void aMistypedOptionOfASubcommandNamesTheNearestOption() {
        CliTest.Result r = CliTest.hf("render", "examples/hello", "-o", tmp.resolve("x.mp4").toString(), "--fsp", "30");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("hf render: Unknown option: '--fsp'; did you mean --fps?"), r.err());
        CliTest.Result eq = CliTest.hf("validate", "--entry-fil=x.html", "examples/hello");
        assertEquals(2, eq.exit(), eq.err());
        assertTrue(eq.err().contains("hf validate: Unknown option: '--entry-fil=x.html'; did you mean --entry-file?"), eq.err());
    }

    @Test
    void aRenderErrorEndsWithThePointerToItsEntry() {
        CliTest.Result r = CliTest.hf("render", tmp.resolve("no-such-project").toString(), "-o", tmp.resolve("x.mp4").toString());
        assertEquals(2, r.exit(), r.err());
        String line = r.err().lines().filter(l -> l.startsWith("hf: PROJECT_NOT_FOUND: ")).findFirst().orElse("");
        assertTrue(line.endsWith("(see docs/errors.md#project-not-found)"), r.err());
    }

    @Test
    void nearestAcceptsTyposAndUniquePrefixesOnly() {
        List<String> commands = List.of("render", "validate", "preview", "plan", "render-chunk", "assemble", "worker",
                "submit", "progress", "help");
        assertEquals(Optional.of("assemble"), Hf.nearest("assmble", commands));
        assertEquals(Optional.of("preview"), Hf.nearest("preveiw", commands));
        assertEquals(Optional.of("validate"), Hf.nearest("valid", commands));
        assertEquals(Optional.empty(), Hf.nearest("cloud", commands));
        assertEquals(Optional.empty(), Hf.nearest("x", commands));
        assertEquals(1, Hf.editDistance("ab", "ba"));
        assertEquals(3, Hf.editDistance("", "abc"));
    }
}
