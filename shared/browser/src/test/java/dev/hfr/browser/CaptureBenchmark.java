package dev.hfr.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Not a test: prints capture throughput for the busy page. Run with
 * {@code java -cp <test classpath> dev.hfr.browser.CaptureBenchmark [frames]}.
 * CPU is the JVM plus every descendant process (Playwright driver, the whole Chromium tree).
 */
public final class CaptureBenchmark {
    private CaptureBenchmark() {
    }

    static long cpuNanos() {
        long total = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        for (ProcessHandle h : ProcessHandle.current().descendants().toList()) {
            total += h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return total;
    }

    /** CPU nanoseconds so far by process kind: jvm, driver (Playwright's Node), browser (every Chromium process). */
    static java.util.Map<String, Long> cpuNanosByKind() {
        java.util.Map<String, Long> by = new java.util.TreeMap<>();
        by.put("jvm", ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L));
        for (ProcessHandle h : ProcessHandle.current().descendants().toList()) {
            String cmd = h.info().command().orElse("");
            String kind = cmd.contains("chrom") ? "browser" : cmd.contains("node") ? "driver" : "other";
            by.merge(kind, h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L), Long::sum);
        }
        return by;
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 90;
        Path tmp = Files.createTempDirectory("hfr-bench");
        Path site = TestSites.copy("busy", tmp);
        int[][] sizes = Boolean.getBoolean("bench.only720") ? new int[][] {{1280, 720}}
                : Boolean.getBoolean("bench.only1080") ? new int[][] {{1920, 1080}} : new int[][] {{1920, 1080}, {1280, 720}};
        List<Boolean> gls = Boolean.getBoolean("bench.glOff") ? List.of(false) : List.of(false, true);
        int quality = Integer.getInteger("bench.jpegQuality", 80);
        List<String> extra = System.getProperty("bench.extraArgs", "").isBlank() ? List.of()
                : List.of(System.getProperty("bench.extraArgs").split(" "));
        List<Boolean> modes = Boolean.getBoolean("bench.beginFrameOnly") ? List.of(false) : List.of(false, true);
        System.out.printf("%-10s %-10s %-6s %8s %12s %10s%n", "size", "mode", "gl", "fps", "cpu-ms/frame", "KB/frame");
        for (int[] size : sizes) {
            for (boolean screenshot : modes) {
                for (boolean gl : gls) {
                    BrowserOptions o = new BrowserOptions(null, extra, null, null, null, gl, screenshot, null, null);
                    try (CompositionPage page = CompositionPage.open(o, site, "index.html", size[0], size[1], 30)) {
                        for (int i = 0; i < 10; i++) {
                            page.captureFrame(i, "jpeg", quality);
                        }
                        long bytes = 0;
                        java.util.Map<String, Long> kinds0 = cpuNanosByKind();
                        long cpu0 = cpuNanos();
                        long t0 = System.nanoTime();
                        for (int i = 10; i < 10 + frames; i++) {
                            bytes += page.captureFrame(i, "jpeg", quality).length;
                        }
                        long wall = System.nanoTime() - t0;
                        long cpu = cpuNanos() - cpu0;
                        StringBuilder split = new StringBuilder();
                        cpuNanosByKind().forEach((k, v) -> split.append(String.format(java.util.Locale.ROOT,
                                " %s=%.1f", k, (v - kinds0.getOrDefault(k, 0L)) / 1e6 / frames)));
                        System.out.printf("%-10s %-10s %-6s %8.1f %12.1f %10.0f  cpu-ms/frame by kind:%s direct=%s  (%s, renderer %s)%n",
                                size[0] + "x" + size[1], page.captureMode(), gl ? "on" : "off",
                                frames / (wall / 1e9), cpu / 1e6 / frames, bytes / 1024.0 / frames, split,
                                page.directCapture(),
                                page.probe().browserVersion(), page.probe().glRenderer());
                    }
                }
            }
        }
    }
}
