package dev.hfr.browser.internal;

import com.microsoft.playwright.impl.driver.Driver;
import com.microsoft.playwright.impl.driver.jar.DriverJar;
import dev.hfr.model.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Installs Playwright's driver (Node.js and its package) once per version under the user's cache folder
 * and points Playwright at it ({@code playwright.cli.dir}).
 *
 * <p>Left to itself Playwright extracts the driver into a fresh {@code playwright-java-*} folder in the temp
 * dir on every JVM start and deletes its thousands of files one by one in a {@code deleteOnExit} hook: that
 * costs seconds at start and at exit (Ctrl-C waited for it), and a killed JVM leaves the whole folder behind.
 * When no cache folder is writable, Playwright's own behaviour is kept.
 */
public final class PlaywrightDriver {
    private static final String PROPERTY = "playwright.cli.dir";
    private static boolean done;

    private PlaywrightDriver() {
    }

    private static Path tempDir;

    /**
     * The drivers' TMPDIR: one folder of ours per JVM, removed when the JVM exits. A driver puts its
     * playwright-artifacts-* folder there and removes it only some time after its browser closes, or not at all when
     * it exits first; in the system temp dir such folders outlived the render. One per JVM because Playwright keeps
     * the environment of its first driver for every later one.
     */
    public static synchronized Path tempDir() throws IOException {
        if (tempDir == null) {
            Path dir = Files.createTempDirectory("hfr-playwright-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteQuietly(dir), "hfr-playwright-tmp"));
            tempDir = dir;
        }
        return tempDir;
    }

    /** Call before {@code Playwright.create}; cheap after the first call. */
    public static synchronized void ensureInstalled() {
        if (done || System.getProperty(PROPERTY) != null) {
            return;
        }
        done = true;
        String version = Driver.class.getPackage().getImplementationVersion();
        Path base = cacheRoot();
        if (version == null || base == null) {
            return;
        }
        Path dir = base.resolve("playwright-driver-" + version);
        Path complete = dir.resolve(".complete");
        if (!Files.isRegularFile(complete)) {
            Path staging = null;
            try {
                Files.createDirectories(base);
                staging = Files.createTempDirectory(base, ".playwright-driver-");
                DriverJar.installDriverTo(staging);
                Files.writeString(staging.resolve(".complete"), version + "\n");
                try {
                    Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                    staging = null;
                } catch (IOException raced) {
                    // another process installed it first; use theirs
                }
            } catch (Exception e) {
                return; // keep Playwright's own per-JVM extraction
            } finally {
                FileTrees.deleteQuietly(staging);
            }
        }
        if (Files.isRegularFile(complete)) {
            System.setProperty(PROPERTY, dir.toString());
        }
    }

    /** HFR_CACHE_DIR, else $XDG_CACHE_HOME/hfr, else ~/.cache/hfr; null when none is usable. */
    private static Path cacheRoot() {
        String explicit = System.getenv("HFR_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "hfr");
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || home.equals("?") || !Files.isWritable(Path.of(home))) {
            return null;
        }
        return Path.of(home, ".cache", "hfr");
    }
}
