package dev.hfr.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserOptionsTest {
    @TempDir
    Path tmp;

    private Path fakeBinary(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(BrowserOptions.PATH_BINARY);
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void defaults() {
        BrowserOptions o = BrowserOptions.defaults();
        assertEquals(Duration.ofSeconds(30), o.readyTimeout());
        assertEquals(Duration.ofSeconds(10), o.timelineTimeout());
        assertEquals(false, o.swiftShaderGl());
    }

    @Test
    void fromEnvironmentTakesTheVariableThenPathAndReadsNothingElse() throws IOException {
        Path env = fakeBinary(tmp.resolve("env"));
        Path onPath = fakeBinary(tmp.resolve("path"));
        String path = tmp.resolve("empty") + ":" + onPath.getParent();
        java.util.Map<String, String> vars = new java.util.HashMap<>(java.util.Map.of(BrowserOptions.ENV_EXECUTABLE,
                env.toString(), "PATH", path));
        assertEquals(env, BrowserOptions.fromEnvironment(vars::get).executable());
        assertEquals(env, BrowserOptions.fromEnvironment(vars::get).resolveExecutable());
        vars.remove(BrowserOptions.ENV_EXECUTABLE);
        assertEquals(onPath, BrowserOptions.fromEnvironment(vars::get).executable());
        vars.put("PATH", tmp.resolve("empty").toString());
        assertEquals(null, BrowserOptions.fromEnvironment(vars::get).executable(), "nothing found: Debian's at launch");
    }

    @Test
    void aMissingExecutableFromTheEnvironmentFailsAtLaunchNamingIt() {
        Path gone = tmp.resolve("gone");
        BrowserOptions o = BrowserOptions.fromEnvironment(java.util.Map.of(BrowserOptions.ENV_EXECUTABLE, gone.toString())::get);
        RenderException e = assertThrows(RenderException.class, o::resolveExecutable);
        assertEquals(ErrorCode.BROWSER_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
    }

    @Test
    void explicitBeatsEnvBeatsPath() throws IOException {
        Path explicit = fakeBinary(tmp.resolve("explicit"));
        Path env = fakeBinary(tmp.resolve("env"));
        Path onPath = fakeBinary(tmp.resolve("path"));
        String path = tmp.resolve("empty") + ":" + onPath.getParent();
        assertEquals(explicit, BrowserOptions.defaults().withExecutable(explicit).resolveExecutable(env.toString(), path));
        assertEquals(env, BrowserOptions.defaults().resolveExecutable(env.toString(), path));
        assertEquals(onPath, BrowserOptions.defaults().resolveExecutable(null, path));
    }

    @Test
    void missingEnvBinaryNamesWhatWasTried() {
        RenderException e = assertThrows(RenderException.class,
                () -> BrowserOptions.defaults().resolveExecutable(tmp.resolve("gone").toString(), ""));
        assertEquals(ErrorCode.BROWSER_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("HFR_CHROMIUM_PATH=" + tmp.resolve("gone")), e.getMessage());
    }

    @Test
    void nothingOnPathFallsBackToDebianOrFailsNamingEverything() {
        if (Files.isExecutable(BrowserOptions.DEBIAN_BINARY)) {
            assertEquals(BrowserOptions.DEBIAN_BINARY, BrowserOptions.defaults().resolveExecutable(null, tmp.toString()));
        } else {
            RenderException e = assertThrows(RenderException.class,
                    () -> BrowserOptions.defaults().resolveExecutable(null, tmp.toString()));
            assertTrue(e.getMessage().contains("chromium-headless-shell on PATH"), e.getMessage());
            assertTrue(e.getMessage().contains(BrowserOptions.DEBIAN_BINARY.toString()), e.getMessage());
        }
    }

    /** Regression: running Debian's /usr/bin wrapper script left orphaned browsers when the script was killed. */
    @Test
    void debianWrapperScriptResolvesToTheBinaryItWraps(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(BrowserOptions.DEBIAN_BINARY));
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("bin"));
        Path wrapper = dir.resolve(BrowserOptions.PATH_BINARY);
        java.nio.file.Files.writeString(wrapper, "#!/bin/sh -e\nexec " + BrowserOptions.DEBIAN_BINARY + " \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        assertEquals(BrowserOptions.DEBIAN_BINARY, BrowserOptions.defaults().resolveExecutable(null, dir.toString()));
    }
}
