package dev.hfr.compile;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CDN libraries at any exact version: fetched from an npm registry at plan time, checked against the
 * registry's sha512 integrity, moved into the cache atomically; refused clearly when offline.
 */
@Tag("integration")
class NpmRegistryTest {
    @TempDir
    Path tmp;

    /** A one-package registry on 127.0.0.1 serving {@code tgz} under {@code integrity}; counts tarball downloads. */
    private record FakeRegistry(HttpServer server, AtomicInteger downloads) implements AutoCloseable {
        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private FakeRegistry serve(String pkg, String version, byte[] tgz, String integrity) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger downloads = new AtomicInteger();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body;
            int status = 200;
            if (path.equals("/" + pkg.replace("/", "%2F") + "/" + version)) {
                body = ("{\"name\":\"" + pkg + "\",\"version\":\"" + version + "\",\"dist\":{\"tarball\":\"" + base
                        + "/t.tgz\",\"integrity\":\"" + integrity + "\"}}").getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/t.tgz")) {
                downloads.incrementAndGet();
                body = tgz;
            } else {
                status = 404;
                body = "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return new FakeRegistry(server, downloads);
    }

    /** An npm-style tarball (everything under package/) made by tar. */
    private byte[] tarball(String js) throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("package/dist"));
        Files.writeString(src.resolve("package/package.json"), "{\"name\":\"tiny-lib\",\"version\":\"1.2.3\",\"main\":\"dist/tiny.js\"}");
        Files.writeString(src.resolve("package/dist/tiny.js"), js);
        Path out = tmp.resolve("tiny.tgz");
        Process p = new ProcessBuilder("tar", "-czf", out.toString(), "-C", src.toString(), "package")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "tar failed");
        return Files.readAllBytes(out);
    }

    private static String integrity(byte[] bytes) throws Exception {
        return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
    }

    @Test
    void aVersionMissingFromTheCacheIsFetchedAndVerified() throws Exception {
        byte[] tgz = tarball("window.tiny = 1;");
        try (FakeRegistry reg = serve("tiny-lib", "1.2.3", tgz, integrity(tgz))) {
            AssetResolver r = AssetResolver.create(tmp.resolve("cache"), false, NpmRegistry.at(reg.url()));
            ResolvedAsset a = r.resolve("https://cdn.jsdelivr.net/npm/tiny-lib@1.2.3/dist/tiny.js", "<script src> in index.html");
            assertEquals(tmp.resolve("cache/npm/tiny-lib@1.2.3/dist/tiny.js").toAbsolutePath().normalize(), a.file());
            assertEquals("window.tiny = 1;", Files.readString(a.file()));
            // a second resolver finds it in the cache: no second download
            AssetResolver.create(tmp.resolve("cache"), false, NpmRegistry.at(reg.url()))
                    .resolve("https://unpkg.com/tiny-lib@1.2.3/dist/tiny.js");
            assertEquals(1, reg.downloads().get());
        }
    }

    @Test
    void aTarballThatDoesNotMatchItsIntegrityIsRefused() throws Exception {
        byte[] tgz = tarball("window.tiny = 1;");
        try (FakeRegistry reg = serve("tiny-lib", "1.2.3", tgz, integrity("something else".getBytes()))) {
            AssetResolver r = AssetResolver.create(tmp.resolve("cache"), false, NpmRegistry.at(reg.url()));
            RenderException e = assertThrows(RenderException.class,
                    () -> r.resolve("https://cdn.jsdelivr.net/npm/tiny-lib@1.2.3/dist/tiny.js", "<script src> in index.html"));
            assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("tiny-lib@1.2.3") && e.getMessage().contains("sha512 integrity")
                    && e.getMessage().contains("<script src> in index.html"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("cache/npm/tiny-lib@1.2.3")), "nothing unverified enters the cache");
        }
    }

    @Test
    void plansFetchingTheSamePackageAtOnceEndWithOneCompleteCopy() throws Exception {
        byte[] tgz = tarball("window.tiny = 2;");
        try (FakeRegistry reg = serve("tiny-lib", "1.2.3", tgz, integrity(tgz))) {
            Path npmRoot = tmp.resolve("cache/npm").toAbsolutePath();
            int n = 6;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                List<Future<Path>> results = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return NpmRegistry.at(reg.url()).fetch("tiny-lib", "1.2.3", npmRoot, "test");
                    }));
                }
                start.countDown();
                for (Future<Path> f : results) {
                    Path dir = f.get(60, TimeUnit.SECONDS);
                    assertEquals(npmRoot.resolve("tiny-lib@1.2.3"), dir);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals("window.tiny = 2;", Files.readString(npmRoot.resolve("tiny-lib@1.2.3/dist/tiny.js")));
            try (var s = Files.list(npmRoot)) {
                assertEquals(List.of("tiny-lib@1.2.3"), s.map(p -> p.getFileName().toString()).toList(),
                        "no temporary folders left behind");
            }
        }
    }

    @Test
    void offlinePlansRefuseAVersionTheCacheLacks() {
        AssetResolver r = AssetResolver.create(tmp.resolve("cache"), false, NpmRegistry.offline());
        RenderException e = assertThrows(RenderException.class, () -> r.resolve(
                "https://cdnjs.cloudflare.com/ajax/libs/animejs/3.2.1/anime.min.js", "<script src> in index.html"));
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("animejs@3.2.1") && e.getMessage().contains("offline")
                && e.getMessage().contains("<script src> in index.html"), e.getMessage());
    }

    @Test
    void theEnvironmentChoosesTheRegistryOrOffline() {
        assertEquals(NpmRegistry.DEFAULT_URL, NpmRegistry.fromValues(null, null).describe());
        assertEquals("http://127.0.0.1:4873", NpmRegistry.fromValues(null, "http://127.0.0.1:4873/").describe());
        assertTrue(NpmRegistry.fromValues(null, "off").isOffline());
        assertTrue(NpmRegistry.fromValues("1", "http://127.0.0.1:4873").isOffline());
    }

    /** The real npm registry: one small package at a version no cache holds (this machine reaches npm). */
    @Test
    void anyExactVersionComesFromTheRealRegistry() {
        AssetResolver r = AssetResolver.create(tmp.resolve("cache"), false, NpmRegistry.at(NpmRegistry.DEFAULT_URL));
        ResolvedAsset a = r.resolve("https://cdnjs.cloudflare.com/ajax/libs/animejs/3.2.1/anime.min.js",
                "<script src> in index.html");
        assertEquals(tmp.resolve("cache/npm/animejs@3.2.1/lib/anime.min.js").toAbsolutePath().normalize(), a.file());
        RenderException e = assertThrows(RenderException.class, () -> r.resolve(
                "https://cdn.jsdelivr.net/npm/animejs@3.2.99/lib/anime.min.js", "<script src> in scene.html"));
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("animejs@3.2.99") && e.getMessage().contains("https://registry.npmjs.org/animejs/3.2.99")
                && e.getMessage().contains("<script src> in scene.html"), e.getMessage());
    }
}
