package dev.hfr.browser;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** close() must leave no Chromium process behind (renderer, GPU and zygote children included). */
@Tag("integration")
class ProcessCleanupTest {
    @TempDir
    Path tmp;

    private static List<ProcessHandle> chromiumDescendants() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().orElse("").contains("chrom"))
                .toList();
    }

    /** Running: alive and not a zombie (a zombie has exited and holds nothing but its pid until it is reaped). */
    static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(h.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException | RuntimeException e) {
            return h.isAlive();
        }
    }

    @Test
    void closeKillsTheWholeBrowserTree() {
        Path site = TestSites.copy("alpha", tmp);
        List<ProcessHandle> before = chromiumDescendants();
        CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W, TestSites.H, 30);
        List<ProcessHandle> during = chromiumDescendants();
        assertTrue(during.size() > before.size() + 1, "expected a browser and its children, saw " + during.size());
        page.close();
        List<ProcessHandle> left = during.stream().filter(h -> !before.contains(h)).filter(ProcessCleanupTest::running).toList();
        assertEquals(List.of(), left.stream().map(h -> h.pid() + " " + h.info().command().orElse("")).toList());
    }
}
