package dev.hfr.compile;

import dev.hfr.compile.internal.CdnMapping;
import dev.hfr.model.Json;

import dev.hfr.compile.internal.NpmTarball;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.FileTrees;
import dev.hfr.model.RenderException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Fetches npm packages at an exact version from an npm registry over plain HTTPS (no npm client: there
 * is none on Lambda) into the asset cache's {@code npm/<package>@<version>/} layout. Only the plan
 * step uses it; the page and the chunk workers never reach the network.
 *
 * <p>The tarball is checked against the {@code dist.integrity} (sha512) the registry publishes for
 * that version, unpacked into a temporary folder next to its target and moved into place atomically,
 * so two plans fetching the same package at once both end with one complete copy.
 */
public final class NpmRegistry {
    public static final String DEFAULT_URL = "https://registry.npmjs.org";
    /** Env var naming the registry URL, or {@code off} for no registry (offline plans). */
    public static final String ENV_REGISTRY = "HFR_NPM_REGISTRY";
    /** Env var that, when {@code 1} or {@code true}, keeps the plan offline. */
    public static final String ENV_OFFLINE = "HFR_OFFLINE";
    /** Largest tarball accepted (the largest canonical font package, Noto Sans JP, is 79 MB). */
    public static final long MAX_TARBALL_BYTES = 256L * 1024 * 1024;

    /** Largest version manifest accepted. */
    static final int MAX_METADATA_BYTES = 16 * 1024 * 1024;

    private static final Pattern PACKAGE_NAME = Pattern.compile("^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$");
    private static final Pattern VERSION_OR_TAG = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z.+-]*$");

    private final URI base;

    private NpmRegistry(URI base) {
        this.base = base;
    }

    /** A registry at {@code url} (e.g. {@value #DEFAULT_URL}). */
    public static NpmRegistry at(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return new NpmRegistry(URI.create(u));
    }

    /** No registry: every package must already be in the cache. */
    public static NpmRegistry offline() {
        return new NpmRegistry(null);
    }

    /**
     * From {@value #ENV_OFFLINE} and {@value #ENV_REGISTRY} in the variable lookup the composition root passes;
     * the public npm registry by default.
     */
    public static NpmRegistry fromEnvironment(UnaryOperator<String> env) {
        return fromValues(env.apply(ENV_OFFLINE), env.apply(ENV_REGISTRY));
    }

    static NpmRegistry fromValues(String offline, String registry) {
        if (offline != null && (offline.equals("1") || offline.equalsIgnoreCase("true"))) {
            return offline();
        }
        if (registry == null || registry.isBlank()) {
            return at(DEFAULT_URL);
        }
        return registry.equalsIgnoreCase("off") ? offline() : at(registry.trim());
    }

    public boolean isOffline() {
        return base == null;
    }

    /** The registry URL, or "offline". */
    public String describe() {
        return base == null ? "offline" : base.toString();
    }

    /**
     * The newest version (no prereleases) of {@code pkg} that {@code range} allows, from the registry's abbreviated
     * metadata; {@code latest} is the dist-tag.
     */
    public String resolveRange(String pkg, CdnMapping.NpmRef range, String referencedBy) {
        if (range.version().equals("latest")) {
            return resolveVersion(pkg, "latest", referencedBy);
        }
        if (!PACKAGE_NAME.matcher(pkg).matches()) {
            throw unavailable(pkg, range.version(), referencedBy, "is not a valid npm package name");
        }
        if (isOffline()) {
            throw unavailable(pkg, range.version(), referencedBy, "cannot be resolved to a version: the plan is offline ("
                    + ENV_OFFLINE + "/" + ENV_REGISTRY + "=off)");
        }
        URI url = URI.create(base + "/" + pkg.replace("/", "%2F"));
        byte[] body = get(url, pkg, range.version(), referencedBy, "application/vnd.npm.install-v1+json");
        Object versions;
        try {
            versions = Json.tree(new String(body, StandardCharsets.UTF_8)) instanceof Map<?, ?> m ? m.get("versions") : null;
        } catch (IllegalArgumentException e) {
            throw unavailable(pkg, range.version(), referencedBy, "has unreadable metadata at " + url + ": " + e.getMessage());
        }
        if (!(versions instanceof Map<?, ?> all)) {
            throw unavailable(pkg, range.version(), referencedBy, "has no versions in " + url);
        }
        return newest(all.keySet().stream().map(String::valueOf).filter(range::matches).toList())
                .orElseThrow(() -> unavailable(pkg, range.version(), referencedBy, "matches no published version at " + url));
    }

    /** The highest of exact versions, compared number by number. */
    public static Optional<String> newest(java.util.Collection<String> versions) {
        return versions.stream().max((a, b) -> {
            String[] x = a.split("[.+-]");
            String[] y = b.split("[.+-]");
            for (int i = 0; i < 3; i++) {
                int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
    }

    /** The version a dist-tag (e.g. {@code latest}) names, or the version itself when it is exact. */
    public String resolveVersion(String pkg, String versionOrTag, String referencedBy) {
        return String.valueOf(manifest(pkg, versionOrTag, referencedBy).get("version"));
    }

    /**
     * Makes {@code <npmRoot>/<pkg>@<version>/} hold the package, fetching it when absent; returns that
     * folder. The version must be exact (a dist-tag goes through {@link #resolveVersion} first).
     *
     * @throws RenderException ASSET_UNAVAILABLE naming the URL, the package@version and the element
     */
    public Path fetch(String pkg, String version, Path npmRoot, String referencedBy) {
        Path target = npmRoot.resolve(pkg + "@" + version).normalize();
        if (!target.startsWith(npmRoot)) {
            throw unavailable(pkg, version, referencedBy, "is not a valid package name");
        }
        if (Files.isRegularFile(target.resolve("package.json"))) {
            return target;
        }
        if (isOffline()) {
            throw unavailable(pkg, version, referencedBy, "is not in the asset cache " + npmRoot
                    + " and the plan is offline (" + ENV_OFFLINE + "/" + ENV_REGISTRY + "=off); run scripts/fetch-assets.sh");
        }
        Map<?, ?> manifest = manifest(pkg, version, referencedBy);
        Object distObj = manifest.get("dist");
        if (!(distObj instanceof Map<?, ?> dist) || !(dist.get("tarball") instanceof String tarball)) {
            throw unavailable(pkg, version, referencedBy, "has no dist.tarball in " + manifestUrl(pkg, version));
        }
        if (!(dist.get("integrity") instanceof String integrity) || !integrity.startsWith("sha512-")) {
            throw unavailable(pkg, version, referencedBy, "has no sha512 dist.integrity in " + manifestUrl(pkg, version)
                    + "; refusing an unverifiable tarball");
        }
        byte[] expected = Base64.getDecoder().decode(integrity.substring("sha512-".length()));
        Path tmp = null;
        Path tgz = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), ".fetch-");
            tgz = Files.createTempFile(target.getParent(), ".fetch-", ".tgz");
            // Streamed to disk while hashing: a font package can be tens of MB (Noto Sans JP: 79 MB).
            byte[] actual = download(URI.create(tarball), tgz, pkg, version, referencedBy);
            if (!MessageDigest.isEqual(expected, actual)) {
                throw unavailable(pkg, version, referencedBy, "tarball " + tarball
                        + " does not match the sha512 integrity the registry publishes");
            }
            try (InputStream in = Files.newInputStream(tgz)) {
                NpmTarball.extract(in, tmp);
            }
            readableByAll(tmp);
            if (!Files.isRegularFile(tmp.resolve("package.json"))) {
                throw unavailable(pkg, version, referencedBy, "tarball " + tarball + " holds no package/package.json");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                tmp = null;
            } catch (AtomicMoveNotSupportedException e) {
                throw unavailable(pkg, version, referencedBy, "cannot be moved into " + target + " atomically: " + e.getMessage());
            } catch (FileSystemException e) {
                // rename(2) onto a non-empty folder fails (ENOTEMPTY, which Java reports as a plain
                // FileSystemException): another plan moved its copy in first. Same verified bytes: keep theirs.
                if (!Files.isRegularFile(target.resolve("package.json"))) {
                    throw e;
                }
            }
            if (!Files.isRegularFile(target.resolve("package.json"))) {
                throw unavailable(pkg, version, referencedBy, "is not complete in " + target
                        + " (a folder without package.json is in the way)");
            }
            return target;
        } catch (IOException e) {
            throw unavailable(pkg, version, referencedBy, "could not be written into " + npmRoot + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                FileTrees.deleteQuietly(tmp);
            }
            if (tgz != null) {
                FileTrees.deleteQuietly(tgz);
            }
        }
    }

    /** Streams {@code url} into {@code file}, at most {@link #MAX_TARBALL_BYTES}; returns the body's sha512. */
    private static byte[] download(URI url, Path file, String pkg, String version, String referencedBy) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).GET().build();
        try {
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw unavailable(pkg, version, referencedBy, "could not be fetched: " + url + " returned HTTP "
                            + resp.statusCode());
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-512");
                try (java.io.OutputStream out = Files.newOutputStream(file)) {
                    byte[] buf = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        total += n;
                        if (total > MAX_TARBALL_BYTES) {
                            throw unavailable(pkg, version, referencedBy, "is larger than " + MAX_TARBALL_BYTES
                                    + " bytes at " + url);
                        }
                        sha.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
                return sha.digest();
            }
        } catch (IOException e) {
            throw unavailable(pkg, version, referencedBy, "could not be fetched from " + url + ": " + e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while fetching " + url, e);
        }
    }

    private Map<?, ?> manifest(String pkg, String versionOrTag, String referencedBy) {
        if (!PACKAGE_NAME.matcher(pkg).matches() || !VERSION_OR_TAG.matcher(versionOrTag).matches()) {
            throw unavailable(pkg, versionOrTag, referencedBy, "is not a valid npm package name and version");
        }
        if (isOffline()) {
            throw unavailable(pkg, versionOrTag, referencedBy, "cannot be looked up: the plan is offline ("
                    + ENV_OFFLINE + "/" + ENV_REGISTRY + "=off)");
        }
        URI url = manifestUrl(pkg, versionOrTag);
        byte[] body = get(url, pkg, versionOrTag, referencedBy);
        try {
            if (Json.tree(new String(body, StandardCharsets.UTF_8)) instanceof Map<?, ?> m && m.get("version") != null) {
                return m;
            }
        } catch (IllegalArgumentException e) {
            throw unavailable(pkg, versionOrTag, referencedBy, "has unreadable metadata at " + url + ": " + e.getMessage());
        }
        throw unavailable(pkg, versionOrTag, referencedBy, "has no version field in " + url);
    }

    private URI manifestUrl(String pkg, String versionOrTag) {
        return URI.create(base + "/" + pkg.replace("/", "%2F") + "/" + versionOrTag);
    }

    private static byte[] get(URI url, String pkg, String version, String referencedBy) {
        return get(url, pkg, version, referencedBy, "application/json, application/octet-stream");
    }

    private static byte[] get(URI url, String pkg, String version, String referencedBy, String accept) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .header("Accept", accept).GET().build();
        try {
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() == 404) {
                    throw unavailable(pkg, version, referencedBy, "does not exist: " + url + " returned HTTP 404");
                }
                if (resp.statusCode() != 200) {
                    throw unavailable(pkg, version, referencedBy, "could not be fetched: " + url + " returned HTTP "
                            + resp.statusCode());
                }
                byte[] bytes = in.readNBytes(MAX_METADATA_BYTES + 1);
                if (bytes.length > MAX_METADATA_BYTES) {
                    throw unavailable(pkg, version, referencedBy, "has metadata larger than " + MAX_METADATA_BYTES
                            + " bytes at " + url);
                }
                return bytes;
            }
        } catch (IOException e) {
            throw unavailable(pkg, version, referencedBy, "could not be fetched from " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while fetching " + url, e);
        }
    }

    /** Whether an error of {@link #fetch} says the registry has no such package or version. */
    public static boolean isNotFound(RenderException e) {
        return e.getMessage().contains("returned HTTP 404");
    }

    /** A temp dir is private (0700); the cache is shared between users and plans, so open the folder up. */
    private static void readableByAll(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
    }

    private static RenderException unavailable(String pkg, String version, String referencedBy, String what) {
        return new RenderException(ErrorCode.ASSET_UNAVAILABLE, "npm package " + pkg + "@" + version
                + " (referenced by " + referencedBy + ") " + what);
    }

    /** Convenience for callers that only need to know whether a cached copy exists. */
    public static Optional<Path> cached(Path npmRoot, String pkg, String version) {
        Path dir = npmRoot.resolve(pkg + "@" + version).normalize();
        return dir.startsWith(npmRoot) && Files.isRegularFile(dir.resolve("package.json")) ? Optional.of(dir) : Optional.empty();
    }
}
