package dev.hfr.function.renderchunk;

import org.junit.jupiter.api.Tag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployable render-chunk package (target/lambda/function.zip, made by scripts/package-lambda.sh; skipped
 * when absent): unzipped as Lambda would, its trimmed Playwright driver-bundle holds only the linux-x64 driver,
 * and with the package's {@code lib/*} alone as the classpath Playwright extracts its driver from that jar and
 * drives a real Chromium (Debian's headless shell here).
 */
@Tag("integration")
class LambdaPackageTest {
    private static final Path HEADLESS_SHELL = Path.of("/usr/lib/chromium/chromium-headless-shell");
    private static final long CHECK_DEADLINE_SECONDS = 180;

    @Test
    void trimmedDriverExtractsAndConnects(@TempDir Path tmp) throws Exception {
        Path zip = Path.of("target/lambda/function.zip").toAbsolutePath();
        assertTrue(Files.isRegularFile(zip), "run scripts/package-lambda.sh first: no " + zip);
        assertTrue(Files.isExecutable(HEADLESS_SHELL), "needs Debian chromium-headless-shell");
        Path task = tmp.resolve("var-task");
        unzip(zip, task);

        Path bundle = only(task.resolve("lib"), "driver-bundle-");
        List<String> driverEntries = new ArrayList<>();
        try (ZipFile jar = new ZipFile(bundle.toFile())) {
            jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith("driver/") && n.length() > 7)
                    .forEach(driverEntries::add);
        }
        assertTrue(driverEntries.contains("driver/linux/node"), driverEntries.toString());
        assertTrue(driverEntries.stream().allMatch(n -> n.startsWith("driver/linux/")), driverEntries.toString());
        only(task.resolve("lib"), "hfr-function-render-chunk-");

        Path scratch = Files.createDirectories(tmp.resolve("tmp"));
        Path out = tmp.resolve("check.out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", task.resolve("lib") + "/*",
                "dev.hfr.function.runtime.PlaywrightDriverCheck", HEADLESS_SHELL.toString(), scratch.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = p.waitFor(CHECK_DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(done, "PlaywrightDriverCheck did not finish within " + CHECK_DEADLINE_SECONDS + " s: " + output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("\"nodeExtracted\":true"), output);
        assertTrue(output.contains("\"cliExtracted\":true"), output);
        assertTrue(output.contains("\"evaluate\":42"), output);
        assertTrue(output.contains("\"driverDir\":\"" + scratch.resolve("driver")), "extracted under the scratch dir: " + output);
        System.out.println(output.strip());
    }

    private static Path only(Path dir, String prefix) throws IOException {
        try (var s = Files.list(dir)) {
            List<Path> found = s.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, found.size(), "one " + prefix + "*.jar in " + dir + ": " + found);
            return found.getFirst();
        }
    }

    private static void unzip(Path zip, Path dest) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path target = dest.resolve(e.getName()).normalize();
                if (!target.startsWith(dest)) {
                    throw new IOException("unsafe entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }
}
