package dev.hfr.architecture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration is read at the edge (docs/configuration.md): a scan of the main sources of shared/, functions/ and
 * orchestration/ finds every read of the process environment or of system properties ({@code System.getenv},
 * {@code System.getProperty}, {@code System.getProperties}, {@code System.setProperty}, also as method references)
 * and allows it only in the composition roots and in the few readers docs/configuration.md lists as still reading
 * where they are used. JVM facts (java.io.tmpdir, java.version, os.arch) are not configuration and may be read
 * anywhere. It also holds the page to the code: every HFR_* / AWS_* name in main code is documented, and every
 * documented one is named in main code.
 */
class SettingsSourceTest {
    private static final Path REPO = Path.of("../..");
    private static final List<String> SCANNED = List.of("shared", "functions", "orchestration");
    private static final Pattern READ = Pattern.compile(
            "System\\s*(?:\\.\\s*(?:getenv|getProperties|setProperty|clearProperty)\\b|::\\s*(?:getenv|getProperty)\\b"
                    + "|\\.\\s*getProperty\\s*\\((?!\\s*\"(?:java\\.io\\.tmpdir|java\\.version|os\\.arch)\"))");
    private static final Pattern NAME = Pattern.compile("\"((?:HFR|AWS)_[A-Z0-9_]+)\"");
    private static final Pattern DOC_NAME = Pattern.compile("`((?:HFR|AWS)_[A-Z0-9_]+)`");

    /** The composition roots: where settings are read once. */
    static final Map<String, String> ROOTS = Map.of(
            "shared/engine/src/main/java/dev/hfr/engine/HfrSettings.java", "every entry point's engine settings",
            "functions/runtime/src/main/java/dev/hfr/function/runtime/ColdStart.java",
            "the Lambda container (its environment; Playwright's driver folder, a property Playwright reads)",
            "orchestration/cli/src/main/java/dev/hfr/cli/Cli.java", "the hf command line");

    /** Still read where used, each for a reason docs/architecture.md ("Config") gives; none may be added. */
    static final Map<String, String> LEFT = Map.ofEntries(
            Map.entry("shared/browser/src/main/java/dev/hfr/browser/internal/BrowserSandbox.java",
                    "HFR_BROWSER_SANDBOX, decided per launch from the kernel and uid as well"),
            Map.entry("shared/browser/src/main/java/dev/hfr/browser/internal/PlaywrightDriver.java",
                    "Playwright's driver folder: Playwright reads the system property playwright.cli.dir"),
            Map.entry("shared/browser/src/main/java/dev/hfr/browser/BrowserSession.java",
                    "Playwright's driver process gets the JVM's environment (not configuration)"),
            Map.entry("shared/browser/src/main/java/dev/hfr/browser/BeginFrameCapture.java",
                    "the capture loop's measurement switch (performance work in flight)"),
            Map.entry("shared/engine/src/main/java/dev/hfr/engine/dispatch/StepLog.java", "HFR_LOG, a static logger"),
            Map.entry("shared/engine/src/main/java/dev/hfr/engine/webhook/WebhookNotifier.java",
                    "the price table's region (webhook work in flight)"),
            Map.entry("shared/storage/src/main/java/dev/hfr/storage/S3Storage.java",
                    "the AWS SDK's own credential variables, read as the SDK reads them"),
            Map.entry("orchestration/stepfunctions/src/main/java/dev/hfr/sfn/ActivityWorker.java",
                    "HOSTNAME for the default worker name"),
            Map.entry("orchestration/cli/src/main/java/dev/hfr/cli/ProgressCommand.java",
                    "the price table's region (hf cloud work in flight)"),
            Map.entry("orchestration/local/src/main/java/dev/hfr/local/LocalRenderer.java",
                    "the warm-start measurement switch hfr.local.warmStart"),
            Map.entry("functions/runtime/src/main/java/dev/hfr/function/runtime/InitBenchmark.java",
                    "a main() run against the packaged lib/ (bench/lambda-init.sh)"),
            Map.entry("functions/runtime/src/main/java/dev/hfr/function/runtime/PlaywrightDriverCheck.java",
                    "a main() run against the packaged lib/ (LambdaPackageTest); sets Playwright's driver folder"));

    static Map<String, String> sources;

    @BeforeAll
    static void readMainSources() throws IOException {
        sources = new TreeMap<>();
        for (String top : SCANNED) {
            try (Stream<Path> s = Files.walk(REPO.resolve(top))) {
                for (Path p : s.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> f.toString().contains("/src/main/java/")).toList()) {
                    sources.put(REPO.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                }
            }
        }
        assertTrue(sources.size() > 100, "found only " + sources.size() + " main sources under " + REPO.toAbsolutePath());
    }

    @Test
    void onlyTheRootsAndTheListedReadersReadTheEnvironment() {
        List<String> offenders = new ArrayList<>();
        Set<String> readers = new TreeSet<>();
        sources.forEach((path, text) -> {
            Matcher m = READ.matcher(withoutComments(text));
            if (m.find()) {
                readers.add(path);
                if (!ROOTS.containsKey(path) && !LEFT.containsKey(path)) {
                    offenders.add(path + ": " + m.group());
                }
            }
        });
        assertEquals(List.of(), offenders, "read the settings at the composition root (HfrSettings, ColdStart, Cli)"
                + " and pass them down; docs/configuration.md");
        Set<String> stale = new TreeSet<>(LEFT.keySet());
        stale.removeAll(readers);
        assertEquals(Set.of(), stale, "these no longer read the environment: remove them from LEFT");
        assertTrue(readers.containsAll(ROOTS.keySet()), "a root that reads nothing: " + ROOTS.keySet() + " vs " + readers);
    }

    @Test
    void theScanSeesEachFormOfRead() {
        for (String read : List.of("System.getenv(\"X\")", "System.getenv()", "System::getenv", "System.getProperty(\"hfr.x\")",
                "System::getProperty", "System.setProperty(\"a\", b)", "System.getProperties()")) {
            assertTrue(READ.matcher(read).find(), read);
        }
        for (String fact : List.of("System.getProperty(\"java.io.tmpdir\")", "System.getProperty(\"os.arch\", \"\")",
                "System.nanoTime()", "System.getLogger(x)")) {
            assertFalse(READ.matcher(fact).find(), fact);
        }
    }

    @Test
    void everyVariableInMainCodeIsDocumentedAndEveryDocumentedOneIsInMainCode() throws IOException {
        Set<String> inCode = new TreeSet<>();
        sources.values().forEach(text -> {
            Matcher m = NAME.matcher(text);
            while (m.find()) {
                inCode.add(m.group(1));
            }
        });
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(REPO.resolve("docs/configuration.md"))) {
            if (line.startsWith("| `")) {
                Matcher m = DOC_NAME.matcher(line.substring(0, line.indexOf(" |", 2) + 1));
                while (m.find()) {
                    documented.add(m.group(1));
                }
            }
        }
        assertEquals(inCode, documented, "docs/configuration.md lists each variable main code reads, once");
    }

    /** Block and line comments out, so a Javadoc that mentions System.getenv is no read. */
    static String withoutComments(String java) {
        return java.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    }
}
