package dev.hfr.engine.support;

import dev.hfr.engine.plan.PlanServiceAccess;
import dev.hfr.model.PlanArtifact;
import dev.hfr.model.PlanManifest;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.LocalStorage;
import dev.hfr.storage.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: every file of the compiled project was a plan artifact that each chunk downloaded, so an archive of
 * ~10 000 empty files cost every chunk 10 000 downloads. Now the site is one bundle: a chunk's download count does
 * not grow with the project's file count, and every project file is still on disk for the page.
 */
class SiteBundleTest {
    private static final int FILES = 1000;
    private static final String FRAME = "compiled/__hfr/video/v1/000001.jpg";

    @TempDir
    Path tmp;

    /** LocalStorage that counts downloads (the chunk's cost per artifact). */
    private static Storage counting(AtomicInteger downloads) {
        LocalStorage local = new LocalStorage();
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("download") || m.getName().equals("open") || m.getName().equals("read")) {
                        downloads.incrementAndGet();
                    }
                    try {
                        return m.invoke(local, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Path plannedSite() throws Exception {
        Path plan = tmp.resolve("plan");
        Files.createDirectories(plan.resolve("compiled/many"));
        Files.writeString(plan.resolve("compiled/index.html"), "<html><script src=\"app.js\"></script></html>");
        Files.writeString(plan.resolve("compiled/app.js"), "fetch('many/f00999.txt')");
        for (int i = 0; i < FILES; i++) {
            Files.createFile(plan.resolve("compiled/many/f%05d.txt".formatted(i)));
        }
        Files.writeString(plan.resolve("compiled/many/f00999.txt"), "read at run time");
        Files.createDirectories(plan.resolve(FRAME).getParent());
        Files.write(plan.resolve(FRAME), new byte[] {1, 2, 3});
        Files.write(plan.resolve(PlanManifest.AUDIO_PATH), new byte[] {9});
        return plan;
    }

    @Test
    void aChunkDownloadsTheSiteOnceHoweverManyFilesTheProjectHas() throws Exception {
        Path plan = plannedSite();
        List<PlanArtifact> artifacts = PlanServiceAccess.collectArtifacts(plan, Map.of(FRAME, List.of(0)));
        AtomicInteger downloads = new AtomicInteger();
        PlanStore store = new PlanStore(counting(downloads), tmp.resolve("store").toString());
        store.uploadArtifacts(plan, artifacts);
        PlanManifest manifest = new PlanManifest(PlanManifest.SCHEMA, null, "r", "e", "f", "mp4", null, null, List.of(),
                true, artifacts, List.of());

        downloads.set(0);
        Path chunk0 = tmp.resolve("chunk0");
        store.materializeChunk(manifest, 0, chunk0);
        assertEquals(2, downloads.get(), "chunk 0: the site bundle and its one video frame (" + artifacts.size()
                + " artifacts in the plan)");
        downloads.set(0);
        Path chunk1 = tmp.resolve("chunk1");
        store.materializeChunk(manifest, 1, chunk1);
        assertEquals(1, downloads.get(), "chunk 1: the site bundle only");

        // the whole compiled folder is there for the page, byte for byte
        for (String rel : List.of("compiled/index.html", "compiled/app.js", "compiled/many/f00000.txt",
                "compiled/many/f00999.txt")) {
            assertArrayEquals(Files.readAllBytes(plan.resolve(rel)), Files.readAllBytes(chunk1.resolve(rel)), rel);
        }
        try (var s = Files.list(chunk1.resolve("compiled/many"))) {
            assertEquals(FILES, s.count());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(chunk0.resolve(FRAME)));
        assertFalse(Files.exists(chunk1.resolve(FRAME)), "a frame only chunk 0 shows is not downloaded by chunk 1");
        assertFalse(Files.exists(chunk1.resolve(PlanManifest.AUDIO_PATH)), "the audio is the assembler's");

        downloads.set(0);
        store.materializeChunk(manifest, 1, chunk1);
        assertEquals(0, downloads.get(), "a warm plan directory downloads nothing");
    }

    @Test
    void equalSitesGiveEqualBundles() throws Exception {
        Path plan = plannedSite();
        String first = PlanServiceAccess.collectArtifacts(plan, Map.of()).stream()
                .filter(a -> a.path().equals(PlanManifest.SITE_BUNDLE_PATH)).findFirst().orElseThrow().sha256();
        Files.setLastModifiedTime(plan.resolve("compiled/app.js"), java.nio.file.attribute.FileTime.fromMillis(12345));
        Files.delete(plan.resolve(PlanManifest.SITE_BUNDLE_PATH));
        String second = PlanServiceAccess.collectArtifacts(plan, Map.of()).stream()
                .filter(a -> a.path().equals(PlanManifest.SITE_BUNDLE_PATH)).findFirst().orElseThrow().sha256();
        assertEquals(first, second, "the bundle is content-addressed: file times do not change it");
    }

    @Test
    void aBundleEntryOutsideCompiledIsRefused() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("evil.txt"), "x");
        Path bundle = tmp.resolve("b.tar");
        SiteBundle.pack(src, List.of("evil.txt"), bundle);
        Path dir = tmp.resolve("dir");
        Files.createDirectories(dir);
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.hfr.model.RenderException.class,
                () -> SiteBundle.unpackOnce(bundle, "abc", dir));
        assertEquals(dev.hfr.model.ErrorCode.PLAN_ARTIFACT_DIGEST_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("evil.txt"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("evil.txt")));
    }
}
