package dev.hfr.local;

import dev.hfr.model.RenderConfig;

import java.nio.file.Path;

/**
 * One local render.
 *
 * @param project     a project directory, a .tar.gz, or an s3:// URI
 * @param output      an output path or s3:// URI (png-sequence: a directory)
 * @param config      the render config (validated by the plan step)
 * @param workers     chunks rendered at once (each a browser + an ffmpeg)
 * @param workDir     where the plan and chunks go (same layout as the S3 prefix); null = a temp dir
 * @param keepWorkDir keep the work directory after a successful render
 */
public record LocalRenderRequest(String project, String output, RenderConfig config, int workers, Path workDir,
                                 boolean keepWorkDir) {

    /**
     * Cores one worker keeps busy: its browser, its ffmpeg and the JVM together used 1.15-1.48 cores in the bench
     * of 2026-12-02 (1.48 on a 1080p title animation, 1.43 on 1080p with video; docs/benchmarks.md), so on 2 cores
     * a second worker only competes for the same cores (it was slower on 10 of 13 compositions there, and it
     * starts one more browser).
     */
    static final double CORES_PER_WORKER = 1.45;

    /** Workers: one per 1.45 cores, and at most one per 1.5 GB of memory (a 1080p browser takes ~0.75 GB). */
    public static int defaultWorkers() {
        return defaultWorkers(Runtime.getRuntime().availableProcessors(), physicalMemoryGb());
    }

    static int defaultWorkers(int cores, long memGb) {
        int byCores = (int) Math.floor(cores / CORES_PER_WORKER);
        int byMemory = memGb > 0 ? (int) Math.max(1, memGb * 2 / 3) : byCores;
        return Math.max(1, Math.min(byCores, byMemory));
    }

    /**
     * The most workers this machine can run: four per core (more only queue for the CPU) and one per 0.75 GB
     * of physical memory (a 1080p browser with its ffmpeg takes about that).
     */
    public static int maxWorkers() {
        int byCores = Runtime.getRuntime().availableProcessors() * 4;
        long memGb = physicalMemoryGb();
        int byMemory = memGb > 0 ? (int) Math.max(1, memGb * 4 / 3) : byCores;
        return Math.max(1, Math.min(byCores, byMemory));
    }

    /** How {@link #maxWorkers()} was derived, for the message that refuses more. */
    public static String maxWorkersReason() {
        long memGb = physicalMemoryGb();
        return "4 per core on this " + Runtime.getRuntime().availableProcessors() + "-core machine"
                + (memGb > 0 ? ", at most one per 0.75 GB of its " + memGb + " GB memory" : "");
    }

    private static long physicalMemoryGb() {
        try {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return os.getTotalMemorySize() / (1024L * 1024 * 1024);
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
