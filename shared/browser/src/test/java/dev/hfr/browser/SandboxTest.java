package dev.hfr.browser;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: as root every browser ran with --no-sandbox, so a renderer exploit ran as root with every syscall. A JVM
 * that is root now starts the browser as uid 65534 with Chromium's sandbox: its renderers run as that user under
 * seccomp-bpf (Seccomp: 2), and frames are still right.
 */
@Tag("integration")
class SandboxTest {
    @TempDir
    Path tmp;

    private static String status(ProcessHandle h, String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
                if (l.startsWith(field + ":")) {
                    return l.substring(field.length() + 1).trim().split("\\s+")[0];
                }
            }
        } catch (IOException e) {
            return "gone";
        }
        return "absent";
    }

    /** Chromium's --type= of the process (from /proc: ProcessHandle.Info has no arguments for another uid). */
    private static String type(ProcessHandle h) {
        try {
            String cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"))).replace('\0', ' ');
            int i = cmd.indexOf("--type=");
            return i < 0 ? "browser" : cmd.substring(i + 7).split(" ")[0];
        } catch (IOException e) {
            return "gone";
        }
    }

    @Test
    void asRootTheRenderersRunAsNobodyUnderSeccompAndFramesAreRight() throws Exception {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .findFirst().orElse("Uid: -1").substring(4).trim().split("\\s+")[0];
        Assumptions.assumeTrue(uid.equals("0"), "not run: the JVM is not root (uid " + uid + "); only root drops the browser to nobody");
        Assumptions.assumeTrue(System.getenv("HFR_BROWSER_SANDBOX") == null, "not run: HFR_BROWSER_SANDBOX is set");
        Path site = TestSites.copy("counter", tmp);
        List<ProcessHandle> tree;
        List<String> seen = new ArrayList<>();
        try (CompositionPage page = CompositionPage.open(TestSites.options(), site, "index.html", TestSites.W, TestSites.H, 30)) {
            BufferedImage img = TestSites.decode(page.captureFrame(10, "png", 0));
            assertTrue(TestSites.near(TestSites.patch(img, 8, 8, 8), 40, 215, 114, 10),
                    "frame 10 shows " + TestSites.rgb(TestSites.patch(img, 8, 8, 8)));
            tree = ProcessHandle.current().descendants().filter(h -> h.info().command().orElse("").contains("chrom")).toList();
            int renderers = 0;
            for (ProcessHandle h : tree) {
                String t = type(h);
                seen.add(h.pid() + " " + t + " uid=" + status(h, "Uid") + " seccomp=" + status(h, "Seccomp"));
                assertEquals("65534", status(h, "Uid"), "every browser process runs as nobody: " + seen);
                if (t.equals("renderer")) {
                    renderers++;
                    assertEquals("2", status(h, "Seccomp"), "renderers are under seccomp-bpf: " + seen);
                }
            }
            assertTrue(renderers >= 1, "a renderer was found: " + seen);
        }
        List<String> left = tree.stream().filter(ProcessCleanupTest::running).map(h -> h.pid() + " " + type(h)).toList();
        assertEquals(List.of(), left, "close() killed the nobody-owned tree");
    }
}
