package dev.hfr.compile;

import dev.hfr.compile.internal.CdnMapping.NpmRef;
import dev.hfr.compile.internal.CdnMapping;
import dev.hfr.compile.internal.GoogleFonts;
import dev.hfr.compile.internal.Urls;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.FileTrees;
import dev.hfr.model.MediaTypes;
import dev.hfr.model.RenderException;
import dev.hfr.model.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Resolves remote URLs a composition references to local files, from the offline asset cache first
 * and from the network only when allowed.
 *
 * <p>Cache layout (filled by {@code scripts/fetch-assets.sh}; change both together):
 * {@code <cache>/npm/<package>@<version>/<package files>} and {@code <cache>/urls.tsv}
 * ({@code url<TAB>absolute file path}). Lookup order: urls.tsv, CDN URL to npm package file
 * (exact version only), Google Fonts CSS generated from {@code @fontsource} packages, network.
 *
 * <p>Generated Google Fonts CSS points its {@code src} at the jsDelivr URL of each fontsource woff2
 * file; those URLs resolve through this same resolver to the cached files, so the compiler handles
 * fonts like any other stylesheet and its url() references.
 *
 * <p>One resolver serves one plan (it pins version ranges for it) and is closed when the compile is done.
 */
public final class AssetResolver implements AutoCloseable {
    private static final Pattern VERSION_DIR = Pattern.compile("^(.+)@(\\d+(?:\\.\\d+)*)(.*)$");

    private final Path cacheDir;
    private final boolean allowNetwork;
    private final NpmRegistry registry;
    /** Ranges resolved by this resolver (one plan): every reference to {@code gsap@3} gets the same version. */
    private final Map<String, String> resolvedRanges = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Path> urlTable;
    private final Map<String, ResolvedAsset> memo = new ConcurrentHashMap<>();
    private final Map<String, Optional<Path>> fontPackages = new ConcurrentHashMap<>();
    private final List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    private Path generatedDir;
    private Path fetchRoot;

    private AssetResolver(Path cacheDir, boolean allowNetwork, NpmRegistry registry) {
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.allowNetwork = allowNetwork;
        this.registry = registry;
        this.urlTable = readUrlTable(this.cacheDir);
    }

    /**
     * A resolver over {@code cacheDir} that fetches npm packages missing from the cache from {@code registry}
     * ({@link NpmRegistry#offline()} never opens a socket for npm). {@code allowNetwork} is about every other URL:
     * with false, only the npm registry is asked.
     */
    public static AssetResolver create(Path cacheDir, boolean allowNetwork, NpmRegistry registry) {
        return new AssetResolver(cacheDir, allowNetwork, registry);
    }

    public NpmRegistry registry() {
        return registry;
    }

    /** What resolving substituted without failing (e.g. a font weight the family lacks), in order. */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    /**
     * The cache directory: env HFR_ASSET_CACHE, else {@code <repo>/.cache/assets} when the repo root is
     * known (env HFR_REPO_ROOT or system property hfr.repo.root), else {@code ~/.cache/hfr/assets}; over the
     * lookups the composition root passes (tests: {@code System::getenv, System::getProperty}).
     */
    public static Path defaultCacheDir(UnaryOperator<String> env, UnaryOperator<String> property) {
        String explicit = env.apply("HFR_ASSET_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Paths.get(explicit);
        }
        String repo = env.apply("HFR_REPO_ROOT");
        if (repo == null || repo.isBlank()) {
            repo = property.apply("hfr.repo.root");
        }
        if (repo != null && !repo.isBlank()) {
            return Paths.get(repo, ".cache", "assets");
        }
        return Paths.get(property.apply("user.home"), ".cache", "hfr", "assets");
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public boolean allowNetwork() {
        return allowNetwork;
    }

    /** Resolves a URL with no referencing element known (errors then say "a direct lookup"). */
    public ResolvedAsset resolve(String url) {
        return resolve(url, "a direct lookup");
    }

    /**
     * Resolves a URL; {@code referencedBy} (e.g. {@code "<script src> in index.html"}) goes into the
     * error message so the user can find the reference.
     *
     * @throws RenderException ASSET_UNAVAILABLE, or FONT_FETCH_FAILED for Google Fonts faces
     */
    public ResolvedAsset resolve(String url, String referencedBy) {
        String key = normalize(url);
        ResolvedAsset hit = memo.get(key);
        if (hit != null) {
            return hit;
        }
        ResolvedAsset found = lookup(key, url, referencedBy);
        memo.put(key, found);
        return found;
    }

    private ResolvedAsset lookup(String key, String url, String referencedBy) {
        Path listed = urlTable.get(key);
        if (listed != null && Files.isRegularFile(listed)) {
            return cached(url, listed);
        }
        String detail = "";
        Optional<CdnMapping.NpmRef> npm = CdnMapping.map(key);
        if (npm.isPresent()) {
            NpmRef ref = npm.get();
            if (!ref.exact()) {
                ref = ref.withVersion(resolveRange(ref, url + " (referenced by " + referencedBy + ")"));
            }
            Optional<Path> file = npmFile(ref);
            String fetchProblem = null;
            if (file.isEmpty() && !registry.isOffline() && packageDir(ref.packageName(), ref.version()).isEmpty()) {
                // The exact version the URL names, from the registry: the CDN serves the same bytes.
                try {
                    registry.fetch(ref.packageName(), ref.version(), fetchRoot(), url + " (referenced by " + referencedBy + ")");
                    file = npmFile(ref);
                } catch (RenderException e) {
                    if (e.code() != ErrorCode.ASSET_UNAVAILABLE) {
                        throw e;
                    }
                    fetchProblem = e.getMessage();
                }
            }
            if (file.isPresent()) {
                return cached(url, file.get());
            }
            detail = " (looked for npm package " + ref.packageName() + "@" + ref.version()
                    + (ref.candidatePaths().isEmpty() ? "" : " file " + ref.candidatePaths().getFirst())
                    + (registry.isOffline() ? "; the plan is offline, so the npm registry was not asked" : "")
                    + (fetchProblem == null ? "" : "; " + fetchProblem)
                    + ")";
        }
        if (GoogleFonts.isGoogleFontsCss(key)) {
            return googleFontsCss(url, key, referencedBy);
        }
        if (allowNetwork) {
            return download(url, key, referencedBy);
        }
        throw new RenderException(ErrorCode.ASSET_UNAVAILABLE, url + " (referenced by " + referencedBy
                + ") is not in the asset cache " + cacheDir + "; run scripts/fetch-assets.sh or allow network" + detail);
    }

    private static String normalize(String url) {
        String u = url.trim();
        if (u.startsWith("//")) {
            u = "https:" + u;
        }
        int hash = u.indexOf('#');
        return hash >= 0 ? u.substring(0, hash) : u;
    }

    private ResolvedAsset cached(String url, Path file) {
        return new ResolvedAsset(url, file, contentType(file.getFileName().toString()), ResolvedAsset.SOURCE_CACHE);
    }

    /**
     * The exact version a range resolves to: the registry's newest match when the plan may ask it, else the newest
     * matching version already in the cache (ASSET_UNAVAILABLE when there is none).
     */
    private String resolveRange(NpmRef range, String referencedBy) {
        String key = range.packageName() + "@" + range.version();
        String cached = resolvedRanges.get(key);
        if (cached != null) {
            return cached;
        }
        String version;
        if (!registry.isOffline()) {
            version = registry.resolveRange(range.packageName(), range, referencedBy);
        } else {
            List<String> local = new ArrayList<>();
            for (Path root : fetchRoot != null ? List.of(cacheDir.resolve("npm"), fetchRoot) : List.of(cacheDir.resolve("npm"))) {
                Path scope = root.resolve(range.packageName()).getParent();
                String name = Path.of(range.packageName()).getFileName().toString();
                if (scope != null && Files.isDirectory(scope)) {
                    try (Stream<Path> s = Files.list(scope)) {
                        s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(name + "@"))
                                .map(n -> n.substring(name.length() + 1)).filter(range::matches).forEach(local::add);
                    } catch (IOException e) {
                        throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot list the asset cache " + scope + ": " + e, e);
                    }
                }
            }
            version = NpmRegistry.newest(local).orElseThrow(() -> new RenderException(ErrorCode.ASSET_UNAVAILABLE,
                    key + " (" + referencedBy + ") names a version range, no version of " + range.packageName()
                            + " in the asset cache matches it and the plan is offline; run scripts/fetch-assets.sh"));
        }
        resolvedRanges.put(key, version);
        return version;
    }

    /** The cached folder of a package version: the cache itself, then packages this process fetched. */
    private Optional<Path> packageDir(String pkg, String version) {
        List<Path> roots = new ArrayList<>(List.of(cacheDir.resolve("npm")));
        if (fetchRoot != null && !roots.contains(fetchRoot)) {
            roots.add(fetchRoot);
        }
        for (Path root : roots) {
            Path dir = root.resolve(pkg + "@" + version).normalize();
            if (dir.startsWith(root) && Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /**
     * Where fetched packages go: the cache's npm folder when it is writable, else a folder under the
     * temp dir (Lambda ships the cache read-only); the same for the life of this resolver.
     */
    private synchronized Path fetchRoot() {
        if (fetchRoot == null) {
            Path npmDir = cacheDir.resolve("npm");
            try {
                Files.createDirectories(npmDir);
                if (Files.isWritable(npmDir)) {
                    fetchRoot = npmDir;
                    return fetchRoot;
                }
            } catch (IOException e) {
                // read-only cache: fall through to the temp folder
            }
            fetchRoot = Paths.get(System.getProperty("java.io.tmpdir"), "hfr-npm-cache").toAbsolutePath().normalize();
        }
        return fetchRoot;
    }

    /**
     * The folder of {@code @fontsource/<id>}: the newest cached version, else the registry's latest
     * fetched into the cache; empty when the registry has no such package or the plan is offline.
     *
     * @throws RenderException FONT_FETCH_FAILED when the registry cannot be reached or the fetch fails
     */
    public Optional<Path> fontsourcePackage(String id, String referencedBy) {
        return fontPackages.computeIfAbsent(id, k -> findFontsource(k, referencedBy));
    }

    private Optional<Path> findFontsource(String id, String referencedBy) {
        Optional<Path> dir = newestVersionDir(cacheDir.resolve("npm").resolve("@fontsource"), id);
        if (dir.isEmpty() && fetchRoot != null) {
            dir = newestVersionDir(fetchRoot.resolve("@fontsource"), id);
        }
        if (dir.isPresent() || registry.isOffline()) {
            return dir;
        }
        String pkg = "@fontsource/" + id;
        try {
            String version = registry.resolveVersion(pkg, "latest", referencedBy);
            return Optional.of(registry.fetch(pkg, version, fetchRoot(), referencedBy));
        } catch (RenderException e) {
            if (e.code() == ErrorCode.ASSET_UNAVAILABLE && NpmRegistry.isNotFound(e)) {
                return Optional.empty();
            }
            if (e.code() == ErrorCode.ASSET_UNAVAILABLE) {
                throw new RenderException(ErrorCode.FONT_FETCH_FAILED, e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The cached file of an npm reference, confined to the package folder. */
    private Optional<Path> npmFile(CdnMapping.NpmRef ref) {
        Optional<Path> found = packageDir(ref.packageName(), ref.version());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Path pkgDir = found.get();
        List<String> candidates = ref.candidatePaths();
        if (candidates.isEmpty()) {
            candidates = entryPoint(pkgDir).map(List::of).orElse(List.of());
        }
        for (String candidate : candidates) {
            Path f = pkgDir.resolve(candidate).normalize();
            if (f.startsWith(pkgDir) && Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** A bare {@code /npm/pkg@1.2.3} URL serves the package's browser entry (jsdelivr, unpkg, main). */
    private static Optional<String> entryPoint(Path pkgDir) {
        try {
            String json = Files.readString(pkgDir.resolve("package.json"));
            for (String field : List.of("jsdelivr", "unpkg", "browser", "main")) {
                Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
                if (m.find()) {
                    return Optional.of(m.group(1).replaceFirst("^\\./", ""));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private ResolvedAsset googleFontsCss(String url, String key, String referencedBy) {
        List<GoogleFonts.Face> faces;
        try {
            faces = GoogleFonts.parse(key);
        } catch (IllegalArgumentException e) {
            throw new RenderException(ErrorCode.FONT_FETCH_FAILED, url + " (referenced by " + referencedBy
                    + ") is not a valid Google Fonts URL: " + e.getMessage());
        }
        if (faces.isEmpty()) {
            throw new RenderException(ErrorCode.FONT_FETCH_FAILED, url + " (referenced by " + referencedBy
                    + ") names no font family");
        }
        String display = GoogleFonts.display(key);
        // No URL in the comment: compiled output must contain no remote URL at all.
        StringBuilder css = new StringBuilder("/* generated by hfr from Google Fonts css, faces from @fontsource */\n");
        java.util.Set<GoogleFonts.Face> emitted = new java.util.LinkedHashSet<>();
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (GoogleFonts.Face face : faces) {
            String src = fontFileUrl(face, url, referencedBy);
            if (src == null) {
                missing.computeIfAbsent(face.family(), f -> new ArrayList<>()).add(face.weight() + " " + face.style());
            } else if (emitted.add(face)) {
                css.append(GoogleFonts.fontFace(face, src, display));
            }
        }
        for (Map.Entry<String, List<String>> m : missing.entrySet()) {
            // Google answers such a URL with HTTP 400 and HyperFrames then asks for every weight of the
            // family: draw what the family has, and the browser picks the nearest weight.
            String family = m.getKey();
            String id = GoogleFonts.Face.fontsourceId(family);
            Path files = fontsourcePackage(id, url).orElseThrow().resolve("files");
            List<GoogleFonts.Face> available = new ArrayList<>();
            try (Stream<Path> list = Files.list(files)) {
                Pattern latin = Pattern.compile("^" + Pattern.quote(id) + "-latin-(\\d{3})-(normal|italic)\\.woff2$");
                list.map(p -> latin.matcher(p.getFileName().toString())).filter(Matcher::matches)
                        .map(x -> new GoogleFonts.Face(family, Integer.parseInt(x.group(1)), x.group(2).equals("italic")))
                        .sorted(java.util.Comparator.comparing(GoogleFonts.Face::weight).thenComparing(GoogleFonts.Face::italic))
                        .forEach(available::add);
            } catch (IOException e) {
                throw new RenderException(ErrorCode.FONT_FETCH_FAILED, "cannot list " + files + ": " + e.getMessage(), e);
            }
            if (available.isEmpty()) {
                throw new RenderException(ErrorCode.FONT_FETCH_FAILED, "font family '" + family + "' has no weight "
                        + String.join(", ", m.getValue()) + " and no latin face at all in " + files.getParent()
                        + " (asked for by " + url + ", referenced by " + referencedBy + ")");
            }
            for (GoogleFonts.Face face : available) {
                if (emitted.add(face)) {
                    css.append(GoogleFonts.fontFace(face, fontFileUrl(face, url, referencedBy), display));
                }
            }
            warnings.add("font family '" + family + "' has no weight " + String.join(", ", m.getValue()) + " in @fontsource/"
                    + id + " (asked for by " + url + ", referenced by " + referencedBy + "); drawing the weights it has, "
                    + "as HyperFrames does when Google Fonts refuses the URL");
        }
        try {
            Path dir = generatedDir();
            Path file = dir.resolve("google-fonts-" + sha16(key) + ".css");
            Files.writeString(file, css, StandardCharsets.UTF_8);
            return new ResolvedAsset(url, file, "text/css", ResolvedAsset.SOURCE_CACHE);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.FONT_FETCH_FAILED, "could not write the CSS generated for " + url
                    + ": " + e.getMessage(), e);
        }
    }

    /** jsDelivr URL of the fontsource latin woff2 for a face, null when the family lacks that face; fails if the package is missing. */
    private String fontFileUrl(GoogleFonts.Face face, String url, String referencedBy) {
        String id = face.fontsourceId();
        Optional<Path> pkg = fontsourcePackage(id, url + " (referenced by " + referencedBy + ")");
        if (pkg.isEmpty()) {
            throw new RenderException(ErrorCode.FONT_FETCH_FAILED, "font family '" + face.family() + "' weight "
                    + face.weight() + " " + face.style() + " from " + url + " (referenced by " + referencedBy
                    + "): package @fontsource/" + id + " is not in the asset cache " + cacheDir
                    + (registry.isOffline() ? " and the plan is offline; run scripts/fetch-assets.sh"
                            : " and the npm registry " + registry.describe() + " has no such package"));
        }
        String fileName = id + "-latin-" + face.weight() + "-" + face.style() + ".woff2";
        if (!Files.isRegularFile(pkg.get().resolve("files").resolve(fileName))) {
            return null; // the family lacks this weight: the caller substitutes what it has
        }
        String dirName = pkg.get().getFileName().toString();
        return "https://cdn.jsdelivr.net/npm/@fontsource/" + dirName + "/files/" + fileName;
    }

    /** The highest cached version of a package inside a scope folder (deterministic for a given cache). */
    private static Optional<Path> newestVersionDir(Path scope, String name) {
        if (!Files.isDirectory(scope)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(scope)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> {
                        Matcher m = VERSION_DIR.matcher(p.getFileName().toString());
                        return m.matches() && m.group(1).equals(name);
                    })
                    .max((a, b) -> compareVersions(version(a), version(b)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String version(Path dir) {
        String n = dir.getFileName().toString();
        return n.substring(n.lastIndexOf('@') + 1);
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c;
            if (p.matches("\\d+") && q.matches("\\d+")) {
                c = Long.compare(Long.parseLong(p), Long.parseLong(q));
            } else {
                c = p.compareTo(q);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private ResolvedAsset download(String url, String key, String referencedBy) {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            HttpRequest req = HttpRequest.newBuilder(Urls.parse(key)).timeout(Duration.ofSeconds(60)).GET().build();
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new RenderException(ErrorCode.ASSET_UNAVAILABLE, url + " (referenced by " + referencedBy
                            + ") returned HTTP " + resp.statusCode() + " and is not in the asset cache " + cacheDir);
                }
                Path dir = generatedDir().resolve(sha16(key));
                Files.createDirectories(dir);
                Path file = dir.resolve(fileNameOf(key));
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                return new ResolvedAsset(url, file, contentType(file.getFileName().toString()),
                        ResolvedAsset.SOURCE_NETWORK);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new RenderException(ErrorCode.ASSET_UNAVAILABLE, url + " (referenced by " + referencedBy
                    + ") is not in the asset cache " + cacheDir + " and downloading it failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while downloading " + url, e);
        }
    }

    /**
     * Deletes the temp folder of generated files (Google Fonts CSS, downloads) this resolver made; the
     * compiler has copied what it needs into the compiled site by then. Files resolved from the cache stay.
     */
    @Override
    public synchronized void close() {
        if (generatedDir != null) {
            FileTrees.deleteQuietly(generatedDir);
            generatedDir = null;
        }
        memo.clear();
    }

    private synchronized Path generatedDir() throws IOException {
        if (generatedDir == null) {
            generatedDir = Files.createTempDirectory("hfr-assets-");
        }
        return generatedDir;
    }

    /** Last path segment of a URL, made safe as a file name; "asset" when the path has none. */
    static String fileNameOf(String url) {
        String path;
        try {
            path = Urls.parse(url).getPath();
        } catch (IllegalArgumentException e) {
            path = url;
        }
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        name = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "asset" : name;
    }

    static String sha16(String text) {
        return Sha256.hex(text).substring(0, 16);
    }

    /** urls.tsv: url TAB path; relative paths are relative to the cache; later rows win. */
    private static Map<String, Path> readUrlTable(Path cacheDir) {
        Map<String, Path> table = new LinkedHashMap<>();
        Path tsv = cacheDir.resolve("urls.tsv");
        if (!Files.isRegularFile(tsv)) {
            return table;
        }
        try {
            for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
                String[] cells = line.split("\t");
                if (cells.length < 2 || !(cells[0].startsWith("http://") || cells[0].startsWith("https://"))) {
                    continue;
                }
                table.put(normalize(cells[0]), cacheDir.resolve(cells[1].trim()).normalize());
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.ASSET_UNAVAILABLE, "cannot read the asset cache table " + tsv
                    + ": " + e.getMessage(), e);
        }
        return table;
    }

    /** MIME type from a file name's extension ({@link MediaTypes}). */
    public static String contentType(String fileName) {
        return MediaTypes.of(fileName);
    }

    /** Every npm package@version folder in the cache, for diagnostics. */
    public List<String> cachedPackages() {
        List<String> out = new ArrayList<>();
        Path npm = cacheDir.resolve("npm");
        if (!Files.isDirectory(npm)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(npm, 2)) {
            s.filter(p -> p.getFileName().toString().contains("@") && !p.getFileName().toString().startsWith("@"))
                    .map(p -> npm.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
