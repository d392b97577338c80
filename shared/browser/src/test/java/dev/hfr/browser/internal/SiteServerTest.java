package dev.hfr.browser.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteServerTest {
    @TempDir
    Path tmp;

    @Test
    void servesFilesWithContentTypesAndRefusesTraversal() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<p>hi</p>");
        Files.createDirectories(site.resolve("fonts dir"));
        Files.write(site.resolve("fonts dir/a.woff2"), new byte[] {1, 2, 3, 4});
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(site.resolve("link.txt"), tmp.resolve("secret.txt"));
        try (SiteServer server = SiteServer.start(site)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> font = http.send(HttpRequest.newBuilder(URI.create(server.url("fonts dir/a.woff2")))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, font.statusCode());
            assertEquals("font/woff2", font.headers().firstValue("Content-Type").orElse(""));
            assertEquals(4, font.body().length);
            // same-origin page: no other origin may read the project through the browser
            assertEquals(java.util.Optional.empty(), font.headers().firstValue("Access-Control-Allow-Origin"));
            HttpResponse<String> range = http.send(HttpRequest.newBuilder(URI.create(server.url("fonts dir/a.woff2")))
                    .header("Range", "bytes=1-2").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(206, range.statusCode());
            assertEquals("bytes 1-2/4", range.headers().firstValue("Content-Range").orElse(""));
            assertEquals(404, rawStatus(server, "/../secret.txt"));
            assertEquals(404, rawStatus(server, "/%2e%2e/secret.txt"));
            assertEquals(404, rawStatus(server, "/link.txt"));
            assertEquals(200, rawStatus(server, "/"));
        }
        assertEquals("video/mp4", SiteServer.contentType(Path.of("a.MP4")));
        assertEquals("application/wasm", SiteServer.contentType(Path.of("x.wasm")));
        assertEquals("text/javascript; charset=utf-8", SiteServer.contentType(Path.of("x.js")));
    }

    @Test
    void resolveStaysInsideTheRoot() throws IOException {
        Path site = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(site.resolve("a.css"), "x");
        try (SiteServer server = SiteServer.start(site)) {
            assertNotNull(server.resolve("/a.css"));
            assertNull(server.resolve("/../root/a.css"));
            assertNull(server.resolve("/a.css%00.png"));
            assertNull(server.resolve("/..%5croot%5ca.css"));
            assertNull(server.resolve("/missing.css"));
        }
    }

    /** Sends the path verbatim (HttpClient would normalise ../ away before it reaches the server). */
    private static int rawStatus(SiteServer server, String path) throws IOException {
        URI origin = URI.create(server.origin());
        try (Socket s = new Socket(origin.getHost(), origin.getPort())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
