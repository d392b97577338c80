package dev.hfr.engine.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 13 item 9: the plan cache under the work root is bounded, least recently used plans go first. */
class PlanCacheTest {
    @TempDir
    Path root;

    private void plan(String hash, int sizeBytes, int minutesAgo) throws Exception {
        Path dir = Files.createDirectories(root.resolve(hash).resolve("compiled"));
        Files.write(dir.resolve("frames.bin"), new byte[sizeBytes]);
        Files.setLastModifiedTime(root.resolve(hash), FileTime.from(Instant.now().minusSeconds(60L * minutesAgo)));
    }

    private List<String> left() throws Exception {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void leastRecentlyUsedPlansAreEvictedUntilTheCacheFits() throws Exception {
        plan("a", 4000, 30);
        plan("b", 4000, 20);
        plan("c", 4000, 10);
        new PlanCache(root, 9000).evict();
        assertEquals(List.of("b", "c"), left());
        new PlanCache(root, 4000).evict();
        assertEquals(List.of("c"), left());
    }

    @Test
    void aLeasedPlanAndARecentlyUsedOneAreKept() throws Exception {
        plan("old-in-use", 4000, 30);
        plan("old", 4000, 20);
        PlanCache cache = new PlanCache(root, 0);
        try (PlanCache.Lease lease = cache.lease("new")) {
            Files.write(lease.dir().resolve("page.html"), new byte[4000]);
            try (PlanCache.Lease inUse = cache.lease("old-in-use")) {
                Files.setLastModifiedTime(inUse.dir(), FileTime.from(Instant.now().minusSeconds(1800)));
                cache.evict();
                assertEquals(List.of("new", "old-in-use"), left());
            }
            cache.evict();
            assertEquals(List.of("new"), left());
        }
    }

    @Test
    void aCacheWithinItsBoundIsLeftAlone() throws Exception {
        plan("a", 1000, 30);
        plan("b", 1000, 20);
        new PlanCache(root, PlanCache.DEFAULT_MAX_BYTES).evict();
        assertEquals(List.of("a", "b"), left());
    }
}
