package dev.hfr.compile;

import dev.hfr.compile.internal.CssRefs;
import dev.hfr.compile.internal.Refs;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * Checks a project against the HyperFrames authoring contract without rendering it, and lists every
 * problem at once (a user fixes them in one pass instead of one failed render per problem).
 */
public final class ProjectValidator {
    /**
     * One thing the validator found wrong.
     *
     * @param where {@code file:line} or a description of the element
     * @param code an {@link ErrorCode} name
     * @param message what is wrong and what was expected
     */
    public record Problem(String where, String code, String message) {
    }

    private ProjectValidator() {
    }

    public static List<Problem> validate(Path projectDir, String entryFile, AssetResolver resolver) {
        return new Check(projectDir, entryFile == null || entryFile.isBlank() ? CompileOptions.DEFAULT_ENTRY : entryFile,
                resolver).run();
    }

    private static final class Check {
        private final Path project;
        private final String entryFile;
        private final AssetResolver resolver;
        private final List<Problem> problems = new ArrayList<>();
        private final Set<String> visitedFiles = new LinkedHashSet<>();
        private final Set<String> checkedUrls = new LinkedHashSet<>();

        Check(Path projectDir, String entryFile, AssetResolver resolver) {
            this.project = projectDir.toAbsolutePath().normalize();
            this.entryFile = entryFile;
            this.resolver = resolver;
        }

        List<Problem> run() {
            Path entry = project.resolve(entryFile).normalize();
            if (!Files.isDirectory(project)) {
                add(project.toString(), ErrorCode.PROJECT_NOT_FOUND, "project directory " + project + " does not exist");
                return problems;
            }
            if (!entry.startsWith(project) || !Files.isRegularFile(entry)) {
                add(entryFile, ErrorCode.ENTRY_FILE_NOT_FOUND, "entry file " + entryFile + " not found in project "
                        + project);
                return problems;
            }
            String entryRel = rel(entry);
            Document doc = parse(entry);
            checkRoot(doc, entryRel);
            Path baseDir = entry.getParent();
            checkDocument(doc, entryRel, baseDir, new ArrayList<>(List.of(entryRel)));
            return problems;
        }

        private void checkRoot(Document doc, String file) {
            List<Element> roots = new ArrayList<>();
            for (Element el : doc.select("[data-composition-id]")) {
                boolean nested = false;
                for (Element p = el.parent(); p != null; p = p.parent()) {
                    if (p.hasAttr("data-composition-id")) {
                        nested = true;
                        break;
                    }
                }
                if (!nested) {
                    roots.add(el);
                }
            }
            if (roots.size() != 1) {
                List<String> found = roots.stream().map(r -> where(file, r)).toList();
                add(file, ErrorCode.COMPOSITION_INVALID, "expected exactly one root element with data-composition-id in "
                        + file + ", found " + roots.size() + (found.isEmpty() ? "" : " at " + found));
            }
            if (roots.isEmpty()) {
                return;
            }
            Element root = roots.getFirst();
            for (String attr : List.of("data-width", "data-height", "data-duration")) {
                String v = root.attr(attr).trim();
                if (attr.equals("data-duration") && !root.hasAttr(attr)) {
                    continue; // "usually" present (reference 1.2): without it the registered timeline gives the length
                }
                if (!root.hasAttr(attr) || v.isEmpty()) {
                    add(where(file, root), ErrorCode.COMPOSITION_INVALID, attr + " is missing on the root "
                            + Refs.describe(root, null) + "; expected a positive number");
                    continue;
                }
                double d;
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    add(where(file, root), ErrorCode.COMPOSITION_INVALID, attr + "=\"" + v + "\" on the root "
                            + Refs.describe(root, null) + " is not a number");
                    continue;
                }
                if (!(d > 0) || Double.isInfinite(d)) {
                    add(where(file, root), attr.equals("data-duration") ? ErrorCode.COMPOSITION_ZERO_DURATION
                            : ErrorCode.COMPOSITION_INVALID, attr + "=\"" + v + "\" on the root "
                            + Refs.describe(root, null) + " must be a positive, finite number");
                }
            }
        }

        /** References and nested files of one document, recursively. */
        private void checkDocument(Document doc, String file, Path baseDir, List<String> chain) {
            visitedFiles.add(file);
            checkReferences(doc, file, baseDir);
            for (Element host : doc.select("[data-composition-src]")) {
                String src = host.attr("data-composition-src").trim();
                Path nested = project.resolve(src.replaceFirst("^\\./", "").replaceFirst("^/+", "")).normalize();
                if (!nested.startsWith(project) || !Files.isRegularFile(nested)) {
                    add(where(file, host), ErrorCode.COMPOSITION_INVALID, "nested composition host "
                            + Refs.describe(host, "data-composition-src") + " points at \"" + src
                            + "\", which does not exist in the project (paths are relative to the project root)");
                    continue;
                }
                String nestedRel = rel(nested);
                if (chain.contains(nestedRel)) {
                    add(where(file, host), ErrorCode.COMPOSITION_INVALID, "nested compositions form a cycle: "
                            + String.join(" -> ", chain) + " -> " + nestedRel);
                    continue;
                }
                if (visitedFiles.contains(nestedRel)) {
                    continue; // the same composition used twice: checked once
                }
                List<String> next = new ArrayList<>(chain);
                next.add(nestedRel);
                Document nestedDoc = parse(nested);
                // Inlined content resolves its relative URLs against the entry page's folder.
                checkDocument(nestedDoc, nestedRel, baseDir, next);
            }
        }

        private void checkReferences(Document doc, String file, Path baseDir) {
            for (Refs.Ref ref : Refs.scan(doc)) {
                if (Refs.isInline(ref.url()) || Refs.isOtherScheme(ref.url())) {
                    continue;
                }
                String by = Refs.describe(ref.element(), ref.attribute()) + " in " + file;
                if (Refs.isRemote(ref.url())) {
                    remote(ref.url(), by, where(file, ref.element()));
                } else {
                    Path local = local(ref.url(), baseDir);
                    if (local == null) {
                        add(where(file, ref.element()), ErrorCode.ASSET_UNAVAILABLE, ref.url() + " (referenced by "
                                + by + ") does not exist in the project");
                    } else if (ref.kind() == Refs.Kind.STYLESHEET && local.toString().endsWith(".css")) {
                        checkCss(readQuietly(local), rel(local), local.getParent());
                    }
                }
            }
            for (Element style : doc.select("style")) {
                checkCss(style.data(), where(file, style), baseDir);
            }
            for (Element el : doc.select("[style]")) {
                checkCss(el.attr("style"), where(file, el), baseDir);
            }
        }

        private void checkCss(String css, String where, Path dir) {
            for (String[] ref : CssRefs.list(css)) {
                String url = ref[0];
                if (Refs.isInline(url) || Refs.isOtherScheme(url)) {
                    continue;
                }
                if (Refs.isRemote(url)) {
                    remote(url, ("true".equals(ref[1]) ? "@import" : "url()") + " in " + where, where);
                } else if (local(url, dir) == null) {
                    add(where, ErrorCode.ASSET_UNAVAILABLE, url + " (referenced by url() in " + where
                            + ") does not exist in the project");
                }
            }
        }

        private void remote(String url, String referencedBy, String where) {
            if (!checkedUrls.add(url)) {
                return;
            }
            try {
                resolver.resolve(url, referencedBy);
            } catch (RenderException e) {
                add(where, e.code(), e.getMessage());
            }
        }

        private Path local(String url, Path dir) {
            String path = url.replaceAll("[?#].*$", "");
            path = java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            Path f = path.startsWith("/") ? project.resolve(path.substring(1)).normalize() : dir.resolve(path).normalize();
            return f.startsWith(project) && Files.exists(f) ? f : null;
        }

        private Document parse(Path file) {
            try {
                return Jsoup.parse(Files.readString(file, StandardCharsets.UTF_8), "",
                        Parser.htmlParser().setTrackPosition(true));
            } catch (IOException e) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        private static String readQuietly(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        private String rel(Path file) {
            return project.relativize(file).toString().replace('\\', '/');
        }

        private static String where(String file, Element el) {
            int line = el.sourceRange().isTracked() ? el.sourceRange().start().lineNumber() : -1;
            return line > 0 ? file + ":" + line : file + " " + Refs.describe(el, null);
        }

        private void add(String where, ErrorCode code, String message) {
            problems.add(new Problem(where, code.name(), message));
        }
    }
}
