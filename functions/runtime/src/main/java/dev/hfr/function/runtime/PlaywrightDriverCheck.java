package dev.hfr.function.runtime;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Smoke check (not a test) of the Playwright driver as packaged in a function zip: run with the package's
 * {@code lib/*} as the classpath, it lets Playwright's {@code DriverJar} extract Node and its JS package from the
 * trimmed driver-bundle jar into {@code <scratch>/driver} (the {@code playwright.driver.tmpdir} the cold start
 * sets), starts the given Chromium, connects over CDP and evaluates a script. Prints one JSON object; exits
 * non-zero on failure. The render-chunk module's {@code LambdaPackageTest} runs it.
 *
 * <p>Usage: {@code PlaywrightDriverCheck <chromium executable> <scratch dir>}.
 */
public final class PlaywrightDriverCheck {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final long LAUNCH_DEADLINE_MILLIS = 60_000;
    private static final long POLL_MILLIS = 50;

    private PlaywrightDriverCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path chromium = Path.of(args[0]);
        Path scratch = Path.of(args[1]);
        Path driverRoot = Files.createDirectories(scratch.resolve("driver"));
        System.setProperty(ColdStart.PLAYWRIGHT_DRIVER_TMPDIR, driverRoot.toString());
        Path stderr = scratch.resolve("chromium.stderr");
        Process browserProcess = new ProcessBuilder(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--remote-debugging-port=0", "--user-data-dir=" + scratch.resolve("profile"), "about:blank"))
                .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String ws = awaitDevTools(browserProcess, stderr);
            long t0 = System.nanoTime();
            try (Playwright playwright = Playwright.create()) {
                long createMillis = (System.nanoTime() - t0) / 1_000_000;
                Path driverDir = onlyChild(driverRoot);
                boolean node = Files.isExecutable(driverDir.resolve("node"));
                boolean cli = Files.isRegularFile(driverDir.resolve("package/cli.js"));
                Browser browser = playwright.chromium().connectOverCDP(ws);
                Object sum = browser.contexts().getFirst().pages().getFirst().evaluate("() => 20 + 22");
                String version = browser.version();
                browser.close();
                System.out.println("{\"driverDir\":\"" + driverDir + "\",\"nodeExtracted\":" + node
                        + ",\"cliExtracted\":" + cli + ",\"playwrightCreateMillis\":" + createMillis
                        + ",\"evaluate\":" + sum + ",\"browserVersion\":\"" + version + "\"}");
            }
        } finally {
            browserProcess.destroy();
        }
    }

    private static String awaitDevTools(Process p, Path stderr) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + LAUNCH_DEADLINE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(stderr));
            if (m.find()) {
                return m.group(1);
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("chromium exited " + p.exitValue() + ": " + Files.readString(stderr));
            }
            Thread.sleep(POLL_MILLIS); // polling a file the browser writes; bounded by the deadline above
        }
        throw new IllegalStateException("no 'DevTools listening' line within " + LAUNCH_DEADLINE_MILLIS + " ms");
    }

    private static Path onlyChild(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> children = s.toList();
            if (children.size() != 1) {
                throw new IllegalStateException("expected one playwright-java-* dir in " + dir + ", found " + children);
            }
            return children.getFirst();
        }
    }
}
