package dev.hfr.engine.support;

import dev.hfr.model.FileTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The materialised plans under {@code root} ({@code root/<planHash>}), kept for warm workers and bounded in
 * size: after a chunk has its plan, the least recently used other plans are removed until the cache fits in
 * {@code maxBytes}. A plan in use by this JVM (a {@link Lease} is open) is never removed, and neither is one
 * used in the last {@link #GRACE} (another process sharing the folder may be reading it).
 */
public final class PlanCache {
    /** Default bound: a few 1080p plans with their pre-extracted video frames. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    static final Duration GRACE = Duration.ofMinutes(1);
    private static final Map<Path, Integer> IN_USE = new HashMap<>();

    private final Path root;
    private final long maxBytes;

    public PlanCache(Path root, long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.root = root;
        this.maxBytes = maxBytes;
    }

    /** Marks {@code root/planHash} as used now and in use until the lease is closed. */
    public Lease lease(String planHash) {
        Path dir = root.resolve(planHash).toAbsolutePath().normalize();
        synchronized (IN_USE) {
            IN_USE.merge(dir, 1, Integer::sum);
        }
        try {
            Files.createDirectories(dir);
            Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
        } catch (IOException e) {
            release(dir);
            throw new UncheckedIOException(e);
        }
        return new Lease(dir);
    }

    /** Removes least recently used plans (not in use, not used within the grace period) until the cache fits. */
    public void evict() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                entries.add(new Entry(d.toAbsolutePath().normalize(), Files.getLastModifiedTime(d).toInstant(), sizeOf(d)));
            }
        } catch (IOException | UncheckedIOException e) {
            return; // best effort: a cache we cannot list is left as it is
        }
        long total = entries.stream().mapToLong(Entry::sizeBytes).sum();
        Instant recent = Instant.now().minus(GRACE);
        entries.sort(Comparator.comparing(Entry::lastUsed));
        for (Entry e : entries) {
            if (total <= maxBytes) {
                return;
            }
            if (e.lastUsed().isAfter(recent)) {
                continue;
            }
            synchronized (IN_USE) {
                if (IN_USE.containsKey(e.dir())) {
                    continue;
                }
                FileTrees.deleteQuietly(e.dir());
            }
            total -= e.sizeBytes();
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException exc) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static void release(Path dir) {
        synchronized (IN_USE) {
            IN_USE.computeIfPresent(dir, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    private record Entry(Path dir, Instant lastUsed, long sizeBytes) {
    }

    /** One user of a cached plan directory. */
    public static final class Lease implements AutoCloseable {
        private final Path dir;
        private boolean closed;

        private Lease(Path dir) {
            this.dir = dir;
        }

        public Path dir() {
            return dir;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(dir);
            }
        }
    }
}
