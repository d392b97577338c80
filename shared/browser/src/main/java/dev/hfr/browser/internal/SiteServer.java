package dev.hfr.browser.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hfr.model.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a compiled site from 127.0.0.1 on a random port. Only files under the root are served
 * (no traversal, no symlinks out of the root, no directory listings).
 */
public final class SiteServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    /** Volatile: a page handed from the plan's probe to a chunk is served from the chunk's copy of the site. */
    private volatile Path root;

    private SiteServer(HttpServer server, ExecutorService executor, Path root) {
        this.server = server;
        this.executor = executor;
        this.root = root;
    }

    public static SiteServer start(Path siteRoot) throws IOException {
        Path root = siteRoot.toRealPath();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 64);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "hfr-site-server");
            t.setDaemon(true);
            return t;
        });
        SiteServer s = new SiteServer(server, executor, root);
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    /** e.g. http://127.0.0.1:41234 (no trailing slash). */
    public String origin() {
        return "http://" + hostPort();
    }

    /** e.g. 127.0.0.1:41234: the one endpoint the page's network block lets through. */
    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public String url(String relativePath) {
        String p = relativePath.replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        StringBuilder sb = new StringBuilder(origin());
        for (String part : p.split("/", -1)) {
            sb.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    /** Maps a request path to a file under the root, or null when it escapes the root or is not a file. */
    public Path resolve(String rawPath) {
        String decoded;
        try {
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (decoded.indexOf('\0') >= 0 || decoded.contains("\\")) {
            return null;
        }
        String rel = decoded.startsWith("/") ? decoded.substring(1) : decoded;
        for (String seg : rel.split("/")) {
            if (seg.equals("..")) {
                return null;
            }
        }
        Path root = this.root;
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root)) {
            return null;
        }
        if (Files.isDirectory(p)) {
            p = p.resolve("index.html");
        }
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try {
            // symlinks pointing out of the site are refused like ../
            if (!p.toRealPath().startsWith(root)) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return p;
    }

    public static String contentType(Path file) {
        return MediaTypes.forHttp(file.getFileName().toString());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            Path file = resolve(ex.getRequestURI().getRawPath());
            if (file == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            ex.getResponseHeaders().set("Content-Type", contentType(file));
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            // no Access-Control-Allow-Origin: the page is same-origin, and no other origin may read the project
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            String range = ex.getRequestHeaders().getFirst("Range");
            long start = 0;
            long end = size - 1;
            int status = 200;
            if (range != null && range.startsWith("bytes=") && size > 0) {
                // media elements ask for ranges; serving them keeps <video>/<audio> metadata loads cheap
                String[] se = range.substring(6).split(",")[0].trim().split("-", 2);
                try {
                    if (se[0].isEmpty()) {
                        start = Math.max(0, size - Long.parseLong(se[1]));
                    } else {
                        start = Long.parseLong(se[0]);
                        if (se.length > 1 && !se[1].isEmpty()) {
                            end = Math.min(end, Long.parseLong(se[1]));
                        }
                    }
                } catch (NumberFormatException e) {
                    start = 0;
                    end = size - 1;
                }
                if (start > end || start >= size) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
            long length = end - start + 1;
            if (method.equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(length));
                ex.sendResponseHeaders(status, -1);
                return;
            }
            ex.sendResponseHeaders(status, length == 0 ? -1 : length);
            if (length == 0) {
                return;
            }
            try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
                in.skipNBytes(start);
                byte[] buf = new byte[64 * 1024];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        } catch (IOException e) {
            // the browser cancelled the request (e.g. a media range it no longer needs)
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Serves another copy of the same site from now on, on the same port (the page's origin and the browser's
     * network block stay valid). Used when a loaded page moves from the plan's site to a chunk's materialised copy.
     */
    public void reroot(Path siteRoot) throws IOException {
        root = siteRoot.toRealPath();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
