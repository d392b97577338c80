package dev.hfr.ffmpeg;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.OutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Report-only measurement (run with HFR_BENCH=1): encode fps and ffmpeg CPU-ms per frame for 1080p
 * JPEG input piped through {@link ChunkEncoder}, libx264 medium and veryfast at CRF 18. CPU time is
 * the JVM's reaped-children time from /proc/self/stat, so it counts ffmpeg and nothing else.
 */
@Tag("integration")
@EnabledIfEnvironmentVariable(named = "HFR_BENCH", matches = "1")
class EncodeBenchmarkTest {
    private static final int FRAMES = 120;

    @TempDir
    Path dir;

    @Test
    void encode1080pJpeg() throws Exception {
        FfmpegTools tools = TestMedia.tools();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            frames.add(TestMedia.jpeg(TestMedia.scene(i % 60, 1920, 1080, false), 0.95f));
        }
        long jpegBytes = frames.stream().mapToLong(f -> f.length).sum();
        for (String preset : List.of("medium", "veryfast")) {
            Path out = dir.resolve(preset + ".mp4");
            long cpu0 = childCpuMillis();
            long t0 = System.nanoTime();
            EncodeStats stats;
            try (ChunkEncoder enc = ChunkEncoder.open(tools, out, TestMedia.x264(preset, 18), OutputFormat.MP4, 30, 1920,
                    1080, FRAMES)) {
                frames.forEach(enc::writeFrame);
                stats = enc.finish();
            }
            double wallS = (System.nanoTime() - t0) / 1e9;
            // finish() also ran ffprobe once (count packets); measured separately below and subtracted
            long cpuAll = childCpuMillis() - cpu0;
            long probe0 = childCpuMillis();
            MediaProbe.probe(tools, out);
            long probeCpu = childCpuMillis() - probe0;
            assertEquals(FRAMES, stats.framesWritten());
            System.out.printf("[bench] 1080p JPEG (avg %d KB) -> libx264 %s crf 18: %.1f fps wall, %.1f CPU-ms/frame,"
                            + " %d KB output%n", jpegBytes / FRAMES / 1024, preset, FRAMES / wallS,
                    (double) (cpuAll - probeCpu) / FRAMES, Files.size(out) / 1024);
        }
    }

    /** utime + stime of waited-for children (fields 16 and 17 of /proc/self/stat), in ms. */
    private static long childCpuMillis() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) " the fields start at field 3; cutime is field 16, cstime field 17
        long ticks = Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3]);
        return ticks * 10; // USER_HZ is 100 on Linux
    }
}
