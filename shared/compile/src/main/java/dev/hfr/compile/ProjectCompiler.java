package dev.hfr.compile;

import dev.hfr.compile.internal.CssRefs;
import dev.hfr.compile.internal.CssScope;
import dev.hfr.compile.internal.GoogleFonts;
import dev.hfr.compile.internal.Refs;
import dev.hfr.compile.internal.Urls;
import dev.hfr.compile.internal.Variables;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.Json;
import dev.hfr.model.RenderException;
import dev.hfr.model.Sha256;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;

/**
 * Compiles a HyperFrames project into a directory that renders with no network: the project copied,
 * nested compositions inlined, remote scripts/styles/fonts/media replaced by local copies under
 * {@code __hfr/assets/}, media tagged with stable ids, variables applied. The result opens as
 * {@code <outDir>/index.html}.
 */
public final class ProjectCompiler {
    /** Top-level folders never copied: dependencies, VCS, caches and earlier outputs. */
    static final Set<String> SKIPPED_TOP_LEVEL = Set.of("node_modules", ".git", ".cache", "output", "dist", "target",
            "failures", ".next", ".turbo");
    static final String ASSET_DIR = "__hfr/assets";
    static final String INLINED_ATTR = "data-hfr-inlined";
    /** Names a nested composition's host; its hoisted scripts find their scope by it. */
    static final String SCOPE_ATTR = "data-hfr-scope";
    /** HyperFrames' marks on a flattened template root (ProjectCompiler.flattenInnerRoot). */
    static final String INNER_ROOT_ATTR = "data-hf-inner-root";
    static final String AUTHORED_ID_ATTR = "data-hf-authored-id";
    static final List<String> FLATTENED_ROOT_ATTRS = List.of("data-composition-id", "data-composition-file",
            "data-start", "data-duration", "data-end", "data-track-index", "data-track", "data-composition-src",
            "data-hf-authored-duration", "data-hf-authored-end");
    /** Marks media the compile left missing on purpose (allowMissingMedia). */
    static final String MISSING_MEDIA_ATTR = "data-hfr-missing-media";

    private ProjectCompiler() {
    }

    public static CompiledProject compile(Path projectDir, CompileOptions options, AssetResolver resolver, Path outDir) {
        return new Run(projectDir, options == null ? CompileOptions.defaults() : options, resolver, outDir).run();
    }

    private record Pending(Element host, List<String> chain) {
    }

    /** One compilation; holds the state that would otherwise be threaded through every method. */
    private static final class Run {
        private final Path project;
        private final CompileOptions options;
        private final AssetResolver resolver;
        private final Path out;
        private final List<String> warnings = new ArrayList<>();
        private final Set<String> resolvedUrls = new LinkedHashSet<>();
        /** URL to its written path relative to out; one copy per URL per compile. */
        private final Map<String, String> written = new LinkedHashMap<>();
        /** Inserted nodes to the composition file they came from, for error messages. */
        private final Map<Element, String> origin = new IdentityHashMap<>();
        /** Sub-composition scripts taken out of their content, in the order they will run. */
        private final List<Element> hoistedExternal = new ArrayList<>();
        private final List<Element> hoistedInline = new ArrayList<>();
        private int scopes;
        private String entryRel;
        private String baseDirRel;

        Run(Path projectDir, CompileOptions options, AssetResolver resolver, Path outDir) {
            this.project = projectDir.toAbsolutePath().normalize();
            this.options = options;
            this.resolver = resolver;
            this.out = outDir.toAbsolutePath().normalize();
        }

        CompiledProject run() {
            if (!Files.isDirectory(project)) {
                throw new RenderException(ErrorCode.PROJECT_NOT_FOUND, "project directory " + project + " does not exist");
            }
            Path entry = project.resolve(options.entryFile()).normalize();
            if (!entry.startsWith(project) || !Files.isRegularFile(entry)) {
                throw new RenderException(ErrorCode.ENTRY_FILE_NOT_FOUND, "entry file " + options.entryFile()
                        + " not found in project " + project);
            }
            entryRel = slash(project.relativize(entry));
            Path parent = project.relativize(entry).getParent();
            baseDirRel = parent == null ? "" : slash(parent);
            try {
                copyProject();
                Document doc = Jsoup.parse(entry.toFile(), "UTF-8");
                doc.outputSettings().prettyPrint(false);

                Map<String, Object> topValues = topLevelVariables(doc);
                warnings.addAll(Variables.applyBindings(List.of(doc.body()), topValues, entryRel));
                // breadth first, as HyperFrames does: the order sub-composition scripts run in
                Deque<Pending> queue = new ArrayDeque<>();
                for (Element host : List.copyOf(doc.select("[data-composition-src]"))) {
                    queue.add(new Pending(host, List.of(entryRel)));
                }
                while (!queue.isEmpty()) {
                    Pending next = queue.poll();
                    if (!next.host().hasAttr(INLINED_ATTR)) {
                        queue.addAll(inline(next.host(), next.chain()));
                    }
                }
                appendHoistedScripts(doc);
                rewriteDocument(doc);
                rewriteProjectCss();
                tagMedia(doc);
                injectHead(doc, topValues);
                FontMapper.injectTextRendering(doc);
                if (options.mapsFonts()) {
                    mapFonts(doc);
                }
                Files.writeString(out.resolve("index.html"), doc.outerHtml(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "compiling " + project + " into " + out + " failed: "
                        + e.getMessage(), e);
            }
            resolver.warnings().stream().filter(w -> !warnings.contains(w)).forEach(warnings::add);
            return new CompiledProject(out, "index.html", warnings, List.copyOf(resolvedUrls));
        }

        // ---------------------------------------------------------------- copy

        /**
         * Copies the project, following symlinks that stay inside it (a linked folder is copied as the folder
         * it names, so its images render); a link leaving the project is refused, whatever checked it before.
         * Only links are resolved: a file below a linked folder that stays inside is inside too.
         */
        private void copyProject() throws IOException {
            Files.createDirectories(out);
            Path realProject = project.toRealPath();
            Files.walkFileTree(project, java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new java.nio.file.SimpleFileVisitor<>() {
                        @Override
                        public java.nio.file.FileVisitResult preVisitDirectory(Path d,
                                java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                            if (d.equals(project)) {
                                return java.nio.file.FileVisitResult.CONTINUE;
                            }
                            if (d.startsWith(out) || isSkipped(d)) {
                                return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                            }
                            requireInside(d, realProject);
                            Files.createDirectories(out.resolve(slash(project.relativize(d))));
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }

                        @Override
                        public java.nio.file.FileVisitResult visitFile(Path f,
                                java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                            if (isSkipped(f)) {
                                return java.nio.file.FileVisitResult.CONTINUE;
                            }
                            requireInside(f, realProject);
                            Path dst = out.resolve(slash(project.relativize(f)));
                            Files.createDirectories(dst.getParent());
                            Files.copy(f, dst, StandardCopyOption.REPLACE_EXISTING);
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }

                        @Override
                        public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                            if (e instanceof java.nio.file.FileSystemLoopException) {
                                throw new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID, "project file '"
                                        + slash(project.relativize(f)) + "': symlinked folder loops back to itself");
                            }
                            if (Files.isSymbolicLink(f)) {
                                throw new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID, "project file '"
                                        + slash(project.relativize(f)) + "': symlink points at nothing");
                            }
                            throw e;
                        }
                    });
        }

        /** A path reached through a symlink must still be a project file (the link stays inside). */
        private void requireInside(Path p, Path realProject) throws IOException {
            if (Files.isSymbolicLink(p) && !p.toRealPath().startsWith(realProject)) {
                throw new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID, "project file '"
                        + slash(project.relativize(p)) + "': symlink resolves outside the project");
            }
        }

        private boolean isSkipped(Path src) {
            Path rel = project.relativize(src);
            return SKIPPED_TOP_LEVEL.contains(rel.getName(0).toString());
        }

        // ---------------------------------------------------------------- variables

        private Map<String, Object> topLevelVariables(Document doc) {
            Element holder = doc.selectFirst("html[data-composition-variables]");
            if (holder == null) {
                holder = doc.selectFirst("[data-composition-id][data-composition-variables]");
            }
            Map<String, Object> values = Variables.defaults(holder, entryRel);
            for (Map.Entry<String, Object> e : options.variables().entrySet()) {
                if (holder != null && !values.containsKey(e.getKey())) {
                    warnings.add("variable '" + e.getKey() + "' is not declared in data-composition-variables of "
                            + entryRel + "; injected anyway");
                }
                values.put(e.getKey(), e.getValue());
            }
            return values;
        }

        // ---------------------------------------------------------------- nested compositions

        /** Inlines one host and returns the hosts nested in what it inserted. */
        private List<Pending> inline(Element host, List<String> chain) throws IOException {
            String src = host.attr("data-composition-src").trim();
            String where = chain.getLast();
            String rel = src.replaceFirst("^\\./", "").replaceFirst("^/+", "");
            Path file = project.resolve(rel).normalize();
            if (!file.startsWith(project) || !Files.isRegularFile(file)) {
                throw new RenderException(ErrorCode.COMPOSITION_INVALID, "nested composition host "
                        + Refs.describe(host, "data-composition-src") + " in " + where + " points at \"" + src
                        + "\", which does not exist in the project (paths are relative to the project root)");
            }
            rel = slash(project.relativize(file));
            if (chain.contains(rel)) {
                List<String> cycle = new ArrayList<>(chain);
                cycle.add(rel);
                throw new RenderException(ErrorCode.COMPOSITION_INVALID, "nested compositions form a cycle: "
                        + String.join(" -> ", cycle) + " (host " + Refs.describe(host, "data-composition-src") + " in "
                        + where + ")");
            }
            Document sub = Jsoup.parse(file.toFile(), "UTF-8");
            List<Node> nodes = compositionContent(sub);
            String scope = Integer.toString(scopes++);
            List<Element> inserted = new ArrayList<>();
            for (Node n : nodes) {
                if (n instanceof Element e && hoist(e, rel, scope)) {
                    continue;
                }
                host.appendChild(n);
                if (n instanceof Element e) {
                    inserted.add(e);
                    origin.put(e, rel);
                    for (Element script : List.copyOf(e.select("script"))) {
                        hoist(script, rel, scope);
                    }
                }
            }
            for (Element e : inserted) {
                rebaseNestedPaths(e, rel);
            }
            host.attr(INLINED_ATTR, rel);
            host.attr(SCOPE_ATTR, scope);
            Element innerRoot = sizeHost(host, inserted);
            String authoredRootId = innerRoot == null ? null : innerRoot.attr(AUTHORED_ID_ATTR);
            String id = host.attr("data-composition-id").trim();
            if (!id.isEmpty()) {
                for (Element e : inserted) {
                    for (Element style : e.select("style")) {
                        String css = style.data();
                        style.empty();
                        style.appendChild(new DataNode(CssScope.scope(css, id, authoredRootId)));
                    }
                }
            }

            Element schema = null;
            for (Element e : inserted) {
                schema = e.hasAttr("data-composition-variables") ? e : e.selectFirst("[data-composition-variables]");
                if (schema != null) {
                    break;
                }
            }
            Map<String, Object> values = Variables.defaults(schema, rel);
            values.putAll(Variables.hostValues(host, where));
            for (Map.Entry<String, Object> e : options.variables().entrySet()) {
                if (values.containsKey(e.getKey())) {
                    values.put(e.getKey(), e.getValue());
                }
            }
            if (!values.isEmpty()) {
                warnings.addAll(Variables.applyBindings(inserted, values, rel));
                String props = Variables.customProperties(values);
                if (!props.isEmpty()) {
                    String style = host.attr("style").trim();
                    host.attr("style", style.isEmpty() ? props : (style.endsWith(";") ? style : style + ";") + " " + props);
                }
            }
            List<String> next = new ArrayList<>(chain);
            next.add(rel);
            List<Pending> nested = new ArrayList<>();
            for (Element e : inserted) {
                for (Element n : e.select("[data-composition-src]")) {
                    if (!n.hasAttr(INLINED_ATTR)) {
                        nested.add(new Pending(n, next));
                    }
                }
            }
            return nested;
        }

        /**
         * Takes a classic script of a sub-composition out of its content: HyperFrames runs them after the
         * host document's own scripts (a root script that resets {@code window.__timelines = {}} must not
         * wipe the timelines sub-compositions registered), library scripts first and each inline script in
         * a function whose document and gsap only see the composition's host (hfr-runtime.js runScoped).
         * Returns false for anything else (data blocks, modules), which stays in place.
         */
        private boolean hoist(Element el, String rel, String scope) {
            if (!el.tagName().equals("script") || !isClassicScript(el)) {
                return false;
            }
            el.remove();
            origin.put(el, rel);
            if (el.hasAttr("src")) {
                String rebased = rebase(rel, el.attr("src").trim());
                if (rebased != null) {
                    el.attr("src", rebased);
                }
                hoistedExternal.add(el);
                return true;
            }
            String label = Json.writeForScript(rel);
            String wrapped = "(function () { var f = function (document, gsap) {\n" + el.data()
                    + "\n}; if (window.__hfr && window.__hfr.runScoped) { window.__hfr.runScoped(" + Json.writeForScript(scope)
                    + ", " + label + ", f); } else { f.call(window, document, window.gsap); } })();";
            Element script = new Element("script");
            script.appendChild(new DataNode(wrapped));
            origin.put(script, rel);
            hoistedInline.add(script);
            return true;
        }

        private static boolean isClassicScript(Element script) {
            String type = script.attr("type").trim().toLowerCase(Locale.ROOT);
            return type.isEmpty() || type.equals("text/javascript") || type.equals("application/javascript");
        }

        /** Library scripts not already loaded by the document, then the wrapped inline scripts, at the end of body. */
        private void appendHoistedScripts(Document doc) {
            Set<String> loaded = new LinkedHashSet<>();
            for (Element s : doc.select("script[src]")) {
                loaded.add(s.attr("src").trim());
            }
            for (Element s : hoistedExternal) {
                if (loaded.add(s.attr("src").trim())) {
                    doc.body().appendChild(s);
                }
            }
            for (Element s : hoistedInline) {
                doc.body().appendChild(s);
            }
        }

        /**
         * An anonymous host takes its composition's id, and HyperFrames gives a host the size its composition declares: data-width/data-height copied from the
         * template root when the host has none, and as inline pixels unless the host's style sets a size,
         * so content at width/height 100% fills the composition (an anonymous host otherwise collapses).
         * Returns the template's root when it is the host's own composition, now flattened (see
         * {@link #flattenInnerRoot}), else null.
         */
        private static Element sizeHost(Element host, List<Element> inserted) {
            Element root = null;
            for (Element e : inserted) {
                Element r = e.hasAttr("data-composition-id") ? e : e.selectFirst("[data-composition-id]");
                if (r != null && (root == null
                        || r.attr("data-composition-id").equals(host.attr("data-composition-id")))) {
                    root = r;
                }
            }
            if (root != null && host.attr("data-composition-id").isBlank()) {
                // an anonymous host is its composition (HyperFrames keeps the root's id on it): the host's
                // data-start/data-duration time the composition and its timeline, and its CSS applies
                host.attr("data-composition-id", root.attr("data-composition-id"));
            }
            if (root != null) {
                for (String dim : List.of("data-width", "data-height")) {
                    if (host.attr(dim).isBlank() && !root.attr(dim).isBlank()) {
                        host.attr(dim, root.attr(dim));
                    }
                }
                if (root.attr("data-composition-id").equals(host.attr("data-composition-id"))) {
                    flattenInnerRoot(root);
                } else {
                    root = null;
                }
            }
            String w = host.attr("data-width").trim();
            String h = host.attr("data-height").trim();
            if (w.isEmpty() || h.isEmpty() || !w.matches("\\d+(\\.\\d+)?") || !h.matches("\\d+(\\.\\d+)?")) {
                return root;
            }
            String style = host.attr("style").trim();
            List<String> add = new ArrayList<>();
            if (!style.contains("width")) {
                add.add("width:" + w + "px");
            }
            if (!style.contains("height")) {
                add.add("height:" + h + "px");
            }
            if (!add.isEmpty()) {
                String joined = String.join(";", add);
                host.attr("style", style.isEmpty() ? joined : (style.endsWith(";") ? style : style + ";") + joined);
            }
            return root;
        }

        /**
         * HyperFrames keeps a composition's own root element inside its host as a plain wrapper: the host alone is
         * the composition, so the root loses its identity and timing ({@link #FLATTENED_ROOT_ATTRS}), its {@code
         * id} moves to {@code data-hf-authored-id} and it is marked {@code data-hf-inner-root}. A rule on the
         * composition's own selector ({@code [data-composition-id="captions"] { padding-top: 200px }}) then lays
         * out that wrapper only, not the host too (the padding would count twice; CssScope). The wrapper gets
         * the size the composition declares, as inline pixels after its own style ({@code data-width}/{@code
         * data-height}, else 100 %): content at {@code height: 100%} inside it then has a definite box (a caption
         * bar aligned to the bottom of a full-frame container stays at the bottom).
         */
        private static void flattenInnerRoot(Element root) {
            String authoredId = root.attr("id").trim();
            for (String attr : FLATTENED_ROOT_ATTRS) {
                root.removeAttr(attr);
            }
            if (!authoredId.isEmpty()) {
                root.removeAttr("id");
                root.attr(AUTHORED_ID_ATTR, authoredId);
            }
            root.attr(INNER_ROOT_ATTR, "true");
            String w = root.attr("data-width").trim();
            String h = root.attr("data-height").trim();
            String fill = "width:" + (w.isEmpty() ? "100%" : w + "px") + ";height:" + (h.isEmpty() ? "100%" : h + "px");
            String style = root.attr("style").trim();
            root.attr("style", style.isEmpty() ? fill : (style.endsWith(";") ? style : style + ";") + fill);
        }

        /** The template's markup, styles and scripts; a file without a template contributes its body and head assets. */
        private static List<Node> compositionContent(Document sub) {
            Element template = sub.selectFirst("template");
            if (template != null) {
                return List.copyOf(template.childNodes());
            }
            List<Node> nodes = new ArrayList<>(sub.head().select("style, script, link[rel~=(?i)stylesheet]"));
            nodes.addAll(sub.body().childNodes());
            return nodes;
        }

        // ---------------------------------------------------------------- references

        /** {@link #rebase} applied to src/href, style="" and {@code <style>} url() under {@code root}. */
        private void rebaseNestedPaths(Element root, String compRel) {
            for (Element el : root.select("[src], [href], [style], style")) {
                for (String attr : List.of("src", "href")) {
                    if (el.hasAttr(attr)) {
                        String next = rebase(compRel, el.attr(attr).trim());
                        if (next != null) {
                            el.attr(attr, next);
                        }
                    }
                }
                if (el.hasAttr("style")) {
                    el.attr("style", CssRefs.rewrite(el.attr("style"), (url, isImport) -> rebase(compRel, url)));
                }
                if (el.normalName().equals("style")) {
                    String css = el.data();
                    String next = CssRefs.rewrite(css, (url, isImport) -> rebase(compRel, url));
                    if (!next.equals(css)) {
                        el.empty();
                        el.appendChild(new DataNode(next));
                    }
                }
            }
        }

        /**
         * A relative URL of the nested composition {@code compRel} as the page (whose base is the entry's
         * folder) must say it, HyperFrames' rule: {@code ../x} is resolved against the nested file's folder,
         * clamped at the project root; {@code x} too when that file exists beside the nested file, else it
         * stays as written (relative to the root). Null keeps the URL.
         */
        private String rebase(String compRel, String url) {
            Path compDir = Path.of(compRel).getParent();
            if (compDir == null || url.isEmpty() || Refs.isInline(url) || Refs.isRemote(url) || url.startsWith("/")
                    || url.startsWith("#") || url.startsWith("{")) {
                return null;
            }
            int cut = url.length();
            for (char c : new char[] {'?', '#'}) {
                int i = url.indexOf(c);
                if (i >= 0) {
                    cut = Math.min(cut, i);
                }
            }
            String path = url.substring(0, cut).replace('\\', '/');
            if (path.isEmpty()) {
                return null;
            }
            String sibling;
            try {
                sibling = slash(Path.of("/").resolve(compDir).resolve(path).normalize()).substring(1);
            } catch (java.nio.file.InvalidPathException e) {
                return null;
            }
            boolean up = path.equals("..") || path.startsWith("../");
            if (!up && !Files.exists(project.resolve(sibling))) {
                return null;
            }
            return relativeTo(baseDirRel, sibling) + url.substring(cut);
        }

        private String fileOf(Element el) {
            for (Element e = el; e != null; e = e.parent()) {
                String f = origin.get(e);
                if (f != null) {
                    return f;
                }
            }
            return entryRel;
        }

        private void rewriteDocument(Document doc) throws IOException {
            // preconnect/dns-prefetch fetch nothing, but would make the browser open sockets to CDNs.
            doc.select("link[rel~=(?i)^(preconnect|dns-prefetch)$]").remove();
            for (Refs.Ref ref : Refs.scan(doc)) {
                if (Refs.isInline(ref.url())) {
                    continue;
                }
                String referencedBy = Refs.describe(ref.element(), ref.attribute()) + " in " + fileOf(ref.element());
                if (Refs.isRemote(ref.url())) {
                    String local = remote(ref.url(), ref.kind(), referencedBy);
                    if (local == null) {
                        markMissing(ref);
                    } else {
                        String target = relativeTo(baseDirRel, local);
                        if (ref.attribute().equals("srcset")) {
                            ref.element().attr("srcset", ref.element().attr("srcset").replace(ref.url(), target));
                        } else {
                            ref.element().attr(ref.attribute(), target);
                        }
                    }
                } else if (!checkLocal(ref.url(), project.resolve(baseDirRel), ref.kind(), referencedBy)) {
                    markMissing(ref);
                }
            }
            for (Element style : doc.select("style")) {
                String css = style.data();
                String next = rewriteCss(css, null, project.resolve(baseDirRel), baseDirRel,
                        "<style> in " + fileOf(style), 0);
                if (!next.equals(css)) {
                    style.empty();
                    style.appendChild(new DataNode(next));
                }
            }
            for (Element el : doc.select("[style]")) {
                String css = el.attr("style");
                String next = rewriteCss(css, null, project.resolve(baseDirRel), baseDirRel,
                        Refs.describe(el, "style") + " in " + fileOf(el), 0);
                if (!next.equals(css)) {
                    el.attr("style", next);
                }
            }
        }

        /** Rewrites every .css file of the copied project in place (its remote url()s become local copies). */
        private void rewriteProjectCss() throws IOException {
            List<Path> cssFiles;
            try (Stream<Path> s = Files.walk(out)) {
                cssFiles = s.filter(p -> p.toString().endsWith(".css") && Files.isRegularFile(p))
                        .filter(p -> !out.relativize(p).startsWith("__hfr"))
                        .sorted()
                        .toList();
            }
            for (Path css : cssFiles) {
                String rel = slash(out.relativize(css));
                Path parent = out.relativize(css).getParent();
                String dirRel = parent == null ? "" : slash(parent);
                String text = Files.readString(css, StandardCharsets.UTF_8);
                String next = rewriteCss(text, null, project.resolve(dirRel), dirRel, rel, 0);
                if (!next.equals(text)) {
                    Files.writeString(css, next, StandardCharsets.UTF_8);
                }
            }
        }

        /**
         * Rewrites the URLs of CSS text. {@code remoteBase} is the CSS's own URL when it came from the
         * network (relative references resolve against it), else null and relative references are
         * project files under {@code localDir}. {@code outDirRel} is where the CSS will live in out.
         */
        private String rewriteCss(String css, String remoteBase, Path localDir, String outDirRel, String label,
                int depth) {
            if (depth > 8) {
                throw new RenderException(ErrorCode.ASSET_UNAVAILABLE, "CSS @import chain deeper than 8 at " + label);
            }
            return CssRefs.rewrite(css, (url, isImport) -> {
                if (Refs.isInline(url)) {
                    return null;
                }
                Refs.Kind kind = isImport ? Refs.Kind.STYLESHEET : Refs.Kind.MEDIA;
                String absolute = null;
                if (Refs.isRemote(url)) {
                    absolute = url;
                } else if (remoteBase != null) {
                    try {
                        absolute = Urls.parse(remoteBase).resolve(Urls.parse(url)).toString();
                    } catch (IllegalArgumentException e) {
                        throw new RenderException(ErrorCode.ASSET_UNAVAILABLE, "url(" + url + ") in " + label
                                + " is not a valid URL: " + e.getMessage());
                    }
                }
                String referencedBy = (isImport ? "@import" : "url()") + " in " + label;
                if (absolute == null) {
                    checkLocal(url, localDir, kind, referencedBy);
                    return null;
                }
                try {
                    String local = remote(absolute, kind, referencedBy, depth + 1);
                    return local == null ? null : relativeTo(outDirRel, local);
                } catch (IOException e) {
                    throw new RenderException(ErrorCode.STORAGE_ERROR, "writing the local copy of " + absolute
                            + " failed: " + e.getMessage(), e);
                }
            });
        }

        private String remote(String url, Refs.Kind kind, String referencedBy) throws IOException {
            return remote(url, kind, referencedBy, 0);
        }

        /** Resolves and writes a remote asset; returns its path relative to out, or null if left remote. */
        private String remote(String url, Refs.Kind kind, String referencedBy, int depth) throws IOException {
            String key = url.startsWith("//") ? "https:" + url : url;
            String done = written.get(key);
            if (done != null) {
                return done;
            }
            ResolvedAsset asset;
            try {
                asset = resolver.resolve(key, referencedBy);
            } catch (RenderException e) {
                if (kind == Refs.Kind.MEDIA && options.allowMissingMedia()
                        && e.code() == ErrorCode.ASSET_UNAVAILABLE) {
                    warnings.add("left unresolved (allowMissingMedia): " + e.getMessage());
                    return null;
                }
                if (kind == Refs.Kind.OTHER && e.code() == ErrorCode.ASSET_UNAVAILABLE) {
                    // icons, prefetch hints: nothing a frame depends on, so never worth failing a render
                    warnings.add("left unresolved (not needed to render): " + e.getMessage());
                    return null;
                }
                throw e;
            }
            resolvedUrls.add(key);
            String name = asset.file().getFileName().toString();
            String local;
            if ("text/css".equals(asset.contentType())) {
                String css = Files.readString(asset.file(), StandardCharsets.UTF_8);
                // Every asset lives at __hfr/assets/<hash>/<name>, so siblings are "../<hash>/<name>"
                // whatever this file's own hash turns out to be.
                String next = rewriteCss(css, key, null, ASSET_DIR + "/x", key, depth);
                byte[] bytes = next.getBytes(StandardCharsets.UTF_8);
                local = ASSET_DIR + "/" + sha16(bytes) + "/" + name;
                Path dst = out.resolve(local);
                Files.createDirectories(dst.getParent());
                Files.write(dst, bytes);
            } else {
                local = ASSET_DIR + "/" + sha16(asset.file()) + "/" + name;
                Path dst = out.resolve(local);
                if (!Files.isRegularFile(dst)) {
                    Files.createDirectories(dst.getParent());
                    Files.copy(asset.file(), dst, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            written.put(key, local);
            return local;
        }

        /**
         * Media left missing on purpose (allowMissingMedia) is marked, so the page runtime does not take
         * the image that fails to load for a broken composition.
         */
        private static void markMissing(Refs.Ref ref) {
            if (ref.kind() == Refs.Kind.MEDIA) {
                ref.element().attr(MISSING_MEDIA_ATTR, "");
            }
        }

        /**
         * A relative reference to a project file: present is fine (true), missing follows the media/script
         * rule (false when tolerated with a warning).
         */
        private boolean checkLocal(String url, Path dir, Refs.Kind kind, String referencedBy) {
            if (Refs.isOtherScheme(url)) {
                return true; // some other scheme (file:, ftp:): not ours to judge
            }
            String path = url.replaceAll("[?#].*$", "");
            path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            Path file = path.startsWith("/") ? project.resolve(path.substring(1)).normalize() : dir.resolve(path).normalize();
            if (file.startsWith(project) && Files.exists(file) && !isSkipped(file)) {
                return true;
            }
            String message = url + " (referenced by " + referencedBy + ") does not exist in the project " + project;
            if (kind == Refs.Kind.SCRIPT || kind == Refs.Kind.STYLESHEET) {
                throw new RenderException(ErrorCode.ASSET_UNAVAILABLE, message);
            }
            if (kind == Refs.Kind.MEDIA && !options.allowMissingMedia()) {
                throw new RenderException(ErrorCode.ASSET_UNAVAILABLE, message
                        + " (set allowMissingMedia to render without it)");
            }
            warnings.add("missing: " + message);
            return false;
        }

        // ---------------------------------------------------------------- media and head

        private static void tagMedia(Document doc) {
            int v = 0;
            for (Element video : doc.select("video")) {
                video.attr("data-hfr-video-id", "v" + v++);
                // The engine supplies picture and mixes audio itself; a playing element must stay silent.
                video.attr("muted", "");
            }
            int a = 0;
            for (Element audio : doc.select("audio")) {
                audio.attr("data-hfr-audio-id", "a" + a++);
            }
        }

        private void injectHead(Document doc, Map<String, Object> values) {
            Element head = doc.head();
            if (!baseDirRel.isEmpty()) {
                head.prependElement("base").attr("href", baseDirRel + "/");
            }
            String json = Json.writeForScript(values);
            String script = "window.__hfVariables = " + json + ";\n"
                    + "window.__hyperframes = Object.assign(window.__hyperframes || {}, "
                    + "{getVariables: () => Object.assign({}, window.__hfVariables)});";
            head.prependElement("script").attr("data-hfr", "variables").appendChild(new DataNode(script));
            String props = Variables.customProperties(values);
            if (!props.isEmpty()) {
                // Inline style on <html> is :root with the highest precedence, so a value always beats
                // the default an author declared in a :root rule.
                Element html = doc.selectFirst("html");
                String style = html.attr("style").trim();
                html.attr("style", style.isEmpty() ? props : (style.endsWith(";") ? style : style + ";") + " " + props);
            }
        }

        /** Deterministic fonts (see {@link FontMapper}); the generated rules' URLs become local copies. */
        private void mapFonts(Document doc) throws IOException {
            Set<String> linked = new LinkedHashSet<>();
            for (String url : resolvedUrls) {
                if (GoogleFonts.isGoogleFontsCss(url)) {
                    GoogleFonts.parse(url).forEach(face -> linked.add(face.family()));
                }
            }
            Element fonts = FontMapper.apply(doc, out, this::fileOf, resolver, options.failClosedFonts(), warnings,
                    linked);
            if (fonts != null) {
                String css = rewriteCss(fonts.data(), null, project.resolve(baseDirRel), baseDirRel,
                        "the generated @font-face rules", 0);
                fonts.empty();
                fonts.appendChild(new DataNode(css));
            }
        }

        // ---------------------------------------------------------------- helpers

        private static String relativeTo(String fromDir, String target) {
            if (fromDir.isEmpty()) {
                return target;
            }
            return slash(Path.of(fromDir).relativize(Path.of(target)));
        }

        private static String slash(Path p) {
            return p.toString().replace('\\', '/');
        }

        private static String sha16(byte[] bytes) {
            return Sha256.hex(bytes).substring(0, 16);
        }

        private static String sha16(Path file) {
            return Sha256.hex(file).substring(0, 16);
        }
    }
}
