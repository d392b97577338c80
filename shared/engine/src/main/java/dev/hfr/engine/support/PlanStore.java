package dev.hfr.engine.support;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanArtifact;
import dev.hfr.model.PlanHash;
import dev.hfr.model.PlanManifest;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.Sha256;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.Storage;
import dev.hfr.storage.StorageNotFoundException;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Reads and writes one render's plan in storage: content-addressed artifact blobs, then the manifest
 * last (a manifest only ever points at blobs that are already there), and materialises the subset a
 * step needs into a local directory, verifying every digest.
 */
public final class PlanStore {
    private static final int PARALLEL_TRANSFERS = 16;
    private final Storage storage;
    private final String prefix;

    public PlanStore(Storage storage, String prefix) {
        this.storage = storage;
        this.prefix = prefix;
    }

    public static PlanStore forManifest(Storage storage, String manifestUri) {
        return new PlanStore(storage, RenderKeys.prefixOfManifest(manifestUri));
    }

    public String prefix() {
        return prefix;
    }

    /**
     * Refuses the URIs of a plan event before work starts. With a render bucket configured every URI must be
     * s3:// in it (a local path would reach the worker's own disk) and within the keys the step may touch
     * ({@link RoutingStorage.Role}, {@code KeyScope}): this store's prefix is a render prefix, the project is
     * under a project prefix, the output under an output prefix or the render's. Messages name the field.
     */
    public void checkPlanEvent(String projectUri, String outputUri) {
        check("PlanOutputS3Prefix", prefix, RoutingStorage.Role.RENDER_PREFIX);
        check("ProjectS3Uri", projectUri, RoutingStorage.Role.PROJECT);
        check("OutputS3Uri", outputUri, RoutingStorage.Role.OUTPUT);
    }

    /** {@link #checkPlanEvent} for a render-chunk event: its chunks go under the render's prefix. */
    public void checkChunkEvent(String chunkOutputPrefix) {
        check("PlanManifestS3Uri", prefix, RoutingStorage.Role.RENDER_PREFIX);
        check("ChunkOutputS3Prefix", chunkOutputPrefix, RoutingStorage.Role.IN_RENDER);
    }

    /** {@link #checkPlanEvent} for an assemble event: chunks under the render's prefix, the output as in the plan. */
    public void checkAssembleEvent(List<String> chunkUris, String outputUri) {
        check("PlanManifestS3Uri", prefix, RoutingStorage.Role.RENDER_PREFIX);
        if (chunkUris != null) {
            for (int i = 0; i < chunkUris.size(); i++) {
                check("ChunkS3Uris[" + i + "]", chunkUris.get(i), RoutingStorage.Role.IN_RENDER);
            }
        }
        check("OutputS3Uri", outputUri, RoutingStorage.Role.OUTPUT);
    }

    private void check(String field, String uri, RoutingStorage.Role role) {
        if (storage instanceof RoutingStorage routing && uri != null && !uri.isBlank()) {
            StorageUri parsed = StorageUri.parse(uri);
            routing.checkEventUri(field, parsed, role, StorageUri.parse(prefix));
        }
    }

    public void uploadArtifacts(Path planDir, List<PlanArtifact> artifacts) {
        Set<String> seen = new HashSet<>();
        List<PlanArtifact> unique = artifacts.stream().filter(a -> seen.add(a.sha256())).toList();
        parallel(unique, a -> {
            StorageUri target = StorageUri.parse(RenderKeys.planArtifact(prefix, a.sha256()));
            if (!storage.exists(target)) {
                storage.upload(planDir.resolve(a.path()), target);
            }
        });
    }

    public String writeManifest(PlanManifest manifest) {
        String uri = RenderKeys.planManifest(prefix);
        try {
            storage.write(StorageUri.parse(uri), ObjectMapper.getDefault().writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uri;
    }

    /** Writes the chunk list the Distributed Map reads ({@link RenderKeys#chunkList}); returns its URI. */
    public String writeChunkList(int chunkCount) {
        String uri = RenderKeys.chunkList(prefix);
        storage.write(StorageUri.parse(uri), dev.hfr.model.ChunkSlicer.chunkListJson(chunkCount));
        return uri;
    }

    /** Reads the manifest and checks it against its own hash and the hash the event carries. */
    public PlanManifest readManifest(String expectedHash) {
        StorageUri uri = StorageUri.parse(RenderKeys.planManifest(prefix));
        byte[] bytes;
        try {
            bytes = storage.read(uri);
        } catch (StorageNotFoundException e) {
            throw new RenderException(ErrorCode.MISSING_PLAN_ARTIFACT, "no plan manifest at " + uri
                    + ": run the plan step first (or the plan was deleted: renders/ expires after 7 days)");
        }
        PlanManifest m;
        try {
            m = ObjectMapper.getDefault().readValue(new String(bytes, StandardCharsets.UTF_8), PlanManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "the plan manifest at " + uri
                    + " cannot be read (" + e.getMessage() + "): it is corrupt or partly written; re-plan");
        }
        if (!PlanManifest.SCHEMA.equals(m.schema())) {
            throw new RenderException(ErrorCode.PLAN_PROTOCOL_UNSUPPORTED, "plan schema " + m.schema()
                    + " is not " + PlanManifest.SCHEMA + "; re-plan with this engine");
        }
        PlanHash.verify(m, expectedHash);
        return m;
    }

    /**
     * What render-chunk {@code index} needs in {@code dir}: its artifacts (the site bundle, its video frames), then
     * the bundle unpacked into {@code dir/compiled} (once per plan directory). Returns the number of artifacts
     * downloaded (0 on a warm plan directory).
     */
    public int materializeChunk(PlanManifest manifest, int index, Path dir) {
        int downloaded = materialize(manifest, a -> !a.assembler() && a.neededByChunk(index), dir);
        for (PlanArtifact a : manifest.artifacts()) {
            if (a.path().equals(PlanManifest.SITE_BUNDLE_PATH)) {
                SiteBundle.unpackOnce(dir.resolve(a.path()), a.sha256(), dir);
            }
        }
        return downloaded;
    }

    /**
     * Copies the artifacts selected by {@code needed} into {@code dir} (path = artifact path), skipping
     * files already there with the right digest (a warm worker reuses its plan directory).
     */
    public int materialize(PlanManifest manifest, Predicate<PlanArtifact> needed, Path dir) {
        java.util.concurrent.atomic.AtomicInteger downloads = new java.util.concurrent.atomic.AtomicInteger();
        List<PlanArtifact> todo = new ArrayList<>();
        for (PlanArtifact a : manifest.artifacts()) {
            if (needed.test(a)) {
                todo.add(a);
            }
        }
        parallel(todo, a -> {
            Path target = dir.resolve(a.path()).normalize();
            if (!target.startsWith(dir)) {
                throw new RenderException(ErrorCode.PLAN_ARTIFACT_DIGEST_MISMATCH, "artifact path escapes the plan: " + a.path());
            }
            try {
                if (Files.isRegularFile(target) && Files.size(target) == a.sizeBytes()
                        && Sha256.hex(target).equals(a.sha256())) {
                    return;
                }
                StorageUri src = StorageUri.parse(RenderKeys.planArtifact(prefix, a.sha256()));
                Path tmp = target.resolveSibling(target.getFileName() + ".part-" + Thread.currentThread().threadId());
                try {
                    storage.download(src, tmp);
                    downloads.incrementAndGet();
                } catch (StorageNotFoundException e) {
                    throw new RenderException(ErrorCode.MISSING_PLAN_ARTIFACT, "plan artifact " + a.path()
                            + " (" + a.sha256() + ") is missing from " + src + ": re-plan");
                }
                String actual = Sha256.hex(tmp);
                if (!actual.equals(a.sha256())) {
                    Files.deleteIfExists(tmp);
                    throw new RenderException(ErrorCode.PLAN_ARTIFACT_DIGEST_MISMATCH, "plan artifact " + a.path()
                            + " downloaded from " + src + " hashes to " + actual + ", expected " + a.sha256());
                }
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
            }
        });
        return downloads.get();
    }

    private static <T> void parallel(List<T> items, java.util.function.Consumer<T> action) {
        if (items.size() <= 1) {
            items.forEach(action);
            return;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_TRANSFERS, items.size()),
                Thread.ofVirtual().factory())) {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> action.accept(item)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    throw RenderException.wrap(e.getCause());
                } catch (InterruptedException e) {
                    futures.forEach(x -> x.cancel(true));
                    throw RenderException.wrap(e);
                }
            }
        }
    }
}
