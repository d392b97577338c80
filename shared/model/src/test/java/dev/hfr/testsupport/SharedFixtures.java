package dev.hfr.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Where the development reference material lives: {@code ../shared} beside the repository (CI and the team's
 * checkouts have it; a user's clone does not). Tests that read it are annotated {@link RequiresSharedFixtures}
 * and run in addition when it is there; everything else in the suite must pass without it.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    /** The repository root: system property hfr.repo.root (set by the parent pom), else the nearest ancestor with scripts/. */
    public static Path repoRoot() {
        String prop = System.getProperty("hfr.repo.root");
        Path p = prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("").toAbsolutePath();
        p = p.toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/fetch-assets.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repo root (scripts/fetch-assets.sh) from hfr.repo.root=" + prop);
        }
        return p.normalize();
    }

    /**
     * {@code ../shared/fixtures} beside the repository, when it exists; env {@code HFR_SHARED_DIR} names the
     * shared directory instead (a git worktree outside the main checkout, as bench/parity.py allows).
     */
    public static Optional<Path> root() {
        String shared = System.getenv("HFR_SHARED_DIR");
        Path f = shared != null && !shared.isBlank() ? Paths.get(shared, "fixtures").toAbsolutePath().normalize()
                : repoRoot().resolve("../shared/fixtures").normalize();
        return Files.isDirectory(f) ? Optional.of(f) : Optional.empty();
    }

    /** {@code ../shared/fixtures}; throws when absent (only call it from a {@link RequiresSharedFixtures} test). */
    public static Path dir() {
        return root().orElseThrow(() -> new IllegalStateException(
                "../shared/fixtures is not beside " + repoRoot() + "; annotate the test with @RequiresSharedFixtures"));
    }

    /** The {@code src/} project of one of HyperFrames' regression compositions. */
    public static Path hyperframes(String name) {
        Path f = dir().resolve("hyperframes").resolve(name).resolve("src");
        if (!Files.isDirectory(f)) {
            throw new IllegalStateException("fixture " + name + " not found at " + f);
        }
        return f;
    }
}
