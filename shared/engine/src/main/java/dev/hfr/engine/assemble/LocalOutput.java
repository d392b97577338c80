package dev.hfr.engine.assemble;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.FileTrees;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rule for local (file) outputs: an output never deletes or overwrites anything hf did not create.
 *
 * <p>Refused with {@link ErrorCode#OUTPUT_PATH_UNSAFE}: the current folder, any of its ancestors, an input
 * (the project directory or archive, the work directory), any ancestor of an input, an existing file inside a
 * directory input, a directory where a video file goes, and, for a PNG sequence, a non-empty folder that
 * does not carry our {@link #MARKER} (written by {@link #publishDirectory}). Paths are compared after
 * resolving symlinks, so a link cannot smuggle the output onto a protected path. The CLI checks before the
 * plan, the plan step checks its event, and the assemble step checks again right before publishing.
 */
public final class LocalOutput {
    /** Written inside every PNG-sequence folder hf publishes; only a folder carrying it may be replaced. */
    public static final String MARKER = ".hfr-output";

    private LocalOutput() {
    }

    /**
     * Throws {@link ErrorCode#OUTPUT_PATH_UNSAFE} unless {@code target} may be (re)placed by an output of
     * {@code format}. {@code inputs} are the render's local inputs (project, work directory); null entries
     * are ignored. The current folder is always protected.
     */
    public static void check(Path target, OutputFormat format, Collection<Path> inputs) {
        Path out = canonical(target);
        List<Path> protectedPaths = new ArrayList<>();
        protectedPaths.add(canonical(Path.of("").toAbsolutePath()));
        for (Path in : inputs) {
            if (in != null) {
                protectedPaths.add(canonical(in));
            }
        }
        for (int i = 0; i < protectedPaths.size(); i++) {
            Path p = protectedPaths.get(i);
            String what = i == 0 ? "the current folder" : "the input " + p;
            if (p.equals(out)) {
                throw unsafe(target, "it is " + what);
            }
            if (p.startsWith(out)) {
                throw unsafe(target, "it contains " + what);
            }
            if (i > 0 && out.startsWith(p) && Files.isDirectory(p)
                    && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(target, "it is an existing file inside the input " + p
                        + " (hf cannot tell it from the project's own files; remove it or pick a new name)");
            }
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.exists(out)) {
            return;
        }
        if (format == OutputFormat.PNG_SEQUENCE) {
            if (!Files.isDirectory(out)) {
                throw unsafe(target, "it is an existing file and a png-sequence is written as a folder");
            }
            if (!isEmpty(out) && !Files.isRegularFile(out.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(target, "it is a folder with files hf did not write (no " + MARKER
                        + " inside); give an empty or new folder");
            }
        } else if (Files.isDirectory(out)) {
            throw unsafe(target, "it is a folder and " + format.wireName() + " is written as one file; name the file, e.g. "
                    + target.resolve("out" + format.extension()));
        } else if (!Files.isRegularFile(out)) {
            throw unsafe(target, "it exists and is not a regular file");
        }
    }

    /**
     * Publishes the frames folder {@code frames} at {@code target}: copies it to a hidden sibling with the
     * marker, then swaps it in with renames, so {@code target} is either the old folder or the whole new one.
     */
    public static long publishDirectory(Path frames, Path target) throws IOException {
        check(target, OutputFormat.PNG_SEQUENCE, List.of());
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String name = target.getFileName().toString();
        Path staging = parent.resolve("." + name + ".partial-" + System.nanoTime());
        Path old = null;
        try {
            long size = copyFiles(frames, staging);
            Files.writeString(staging.resolve(MARKER), "written by hf; a folder holding this file may be replaced by"
                    + " the next render to this path\n", StandardCharsets.UTF_8);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                old = parent.resolve("." + name + ".old-" + System.nanoTime());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (old != null) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                    old = null;
                }
                throw e;
            }
            return size;
        } finally {
            FileTrees.deleteQuietly(staging);
            FileTrees.deleteQuietly(old);
        }
    }

    private static long copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        long size = 0;
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
                size += Files.size(f);
            }
        }
        return size;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** The absolute path with every existing part's symlinks resolved (the missing tail appended as given). */
    static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        Path rest = null;
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                return rest == null ? real : real.resolve(rest).normalize();
            } catch (IOException e) {
                Path name = existing.getFileName();
                rest = rest == null ? name : name.resolve(rest);
                existing = existing.getParent();
            }
        }
        return abs;
    }

    private static RenderException unsafe(Path target, String why) {
        return new RenderException(ErrorCode.OUTPUT_PATH_UNSAFE, "refusing to write the output to " + target
                + ": " + why);
    }
}
