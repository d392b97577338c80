package dev.hfr.compile.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a public CDN URL (cdnjs, jsDelivr npm, unpkg) to the npm package file that holds the same bytes.
 * Exact versions map as they are. A major or major.minor range ({@code gsap@3}, {@code d3@7.9}) or {@code latest}
 * maps too, as a range: the plan resolves it once to the newest matching version (so every worker of that render
 * draws with the same file, which the plan carries), as the CDN itself would on that day.
 */
public final class CdnMapping {
    /** A file inside an npm package, with the paths to try in order (cdnjs flattens package folders). */
    public record NpmRef(String packageName, String version, List<String> candidatePaths) {
        /** Whether {@link #version()} is one exact version (else a range for {@link #matches}). */
        public boolean exact() {
            return EXACT_VERSION.matcher(version).matches();
        }

        /** Whether the exact version {@code v} (not a prerelease) satisfies this range. */
        public boolean matches(String v) {
            if (!EXACT_VERSION.matcher(v).matches() || v.contains("-")) {
                return false;
            }
            return version.equals("latest") || v.equals(version) || v.startsWith(version + ".");
        }

        public NpmRef withVersion(String exactVersion) {
            return new NpmRef(packageName, exactVersion, candidatePaths);
        }
    }

    private static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.-]+)?");
    private static final Pattern RANGE = Pattern.compile("\\d+(?:\\.\\d+)?|latest");
    private static final Pattern CDNJS = Pattern.compile("^/ajax/libs/([^/]+)/([^/]+)/(.+)$");
    // /npm/<pkg or @scope/pkg>@<version>/<path>; path may be empty (package entry point).
    private static final Pattern NPM_PATH = Pattern.compile("^/((?:@[^/@]+/)?[^/@]+)@([^/]+)(?:/(.*))?$");

    /** cdnjs library names that differ from the npm package that ships the files. */
    private static final Map<String, String> CDNJS_TO_NPM = Map.of(
            "bodymovin", "lottie-web",
            "lottie-web", "lottie-web",
            "three.js", "three",
            "animejs", "animejs",
            "anime", "animejs",
            "gsap", "gsap");

    /** Folders npm packages keep their browser builds in, tried after the cdnjs path itself. */
    private static final List<String> CDNJS_FOLDERS = List.of("", "dist/", "build/", "lib/", "build/player/", "umd/");

    private CdnMapping() {
    }

    public static Optional<NpmRef> map(String url) {
        URI uri;
        try {
            uri = Urls.parse(url);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : decode(uri.getRawPath());
        switch (host) {
            case "cdnjs.cloudflare.com":
                return cdnjs(path);
            case "cdn.jsdelivr.net":
            case "fastly.jsdelivr.net":
                return path.startsWith("/npm/") ? npmPath(path.substring(4)) : Optional.empty();
            case "unpkg.com":
                return npmPath(path);
            default:
                return Optional.empty();
        }
    }

    private static Optional<NpmRef> cdnjs(String path) {
        Matcher m = CDNJS.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        String lib = m.group(1);
        String version = m.group(2);
        String file = m.group(3);
        String pkg = CDNJS_TO_NPM.getOrDefault(lib, lib);
        if (pkg.equals("three") && version.matches("r\\d+")) {
            // three.js is published on cdnjs as r128, on npm as 0.128.0.
            version = "0." + version.substring(1) + ".0";
        }
        if (!EXACT_VERSION.matcher(version).matches()) {
            return Optional.empty();
        }
        List<String> candidates = new ArrayList<>();
        for (String folder : CDNJS_FOLDERS) {
            candidates.add(folder + file);
        }
        return Optional.of(new NpmRef(pkg, version, List.copyOf(candidates)));
    }

    private static Optional<NpmRef> npmPath(String path) {
        Matcher m = NPM_PATH.matcher(path);
        if (!m.matches() || !(EXACT_VERSION.matcher(m.group(2)).matches() || RANGE.matcher(m.group(2)).matches())) {
            return Optional.empty();
        }
        String file = m.group(3) == null ? "" : m.group(3);
        return Optional.of(new NpmRef(m.group(1), m.group(2), file.isEmpty() ? List.of() : List.of(file)));
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
