package dev.hfr.compile;

import dev.hfr.compile.internal.FontAliases;
import dev.hfr.compile.internal.FontShorthand;
import dev.hfr.compile.internal.Refs;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * HyperFrames' deterministic fonts, applied to a compiled document: a font-family list whose first
 * family is generic ({@code sans-serif}, {@code system-ui}, {@code monospace}...) gets
 * {@value FontAliases#GENERIC_PRIMARY} in front, and every family the page names (in {@code <style>},
 * {@code style=""}, {@code data-font-family} and the project's CSS files) that no {@code @font-face} of
 * the page declares gets {@code @font-face} rules under its own name, drawn from the canonical
 * fontsource package of {@link FontAliases} or, for any other name, from {@code @fontsource/<name>}.
 * The rules point at jsDelivr URLs that the compiler resolves to cached files like any other URL, so
 * the font files land in the compiled site and from there in the plan's artifacts: every worker draws
 * the same glyphs, whatever fonts its machine has. A family that resolves nowhere fails the compile
 * with FONT_FETCH_FAILED (unless not fail-closed, then it is a warning and the browser's fallback).
 */
final class FontMapper {
    /** Attribute of the style element holding the generated rules. */
    static final String STYLE_ATTR = "data-hfr-fonts";
    /** Attribute of the style element holding HyperFrames' text-rendering rule. */
    static final String TEXT_RENDERING_ATTR = "data-hfr-text-rendering";

    // A comment, an @font-face block (its own font-family is a declaration, not a request), or a
    // font-family / font shorthand / custom property declaration with its value.
    private static final Pattern DECL = Pattern.compile(
            "(/\\*.*?\\*/)|(@font-face\\s*\\{[^}]*})|(?<![\\w-])(font-family|font|--[A-Za-z0-9_-]+)(\\s*:\\s*)([^;{}]*)",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern FACE_FAMILY = Pattern.compile("font-family\\s*:\\s*([^;}]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern IMPORTANT = Pattern.compile("\\s*!\\s*important\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern WEIGHT_CSS = Pattern.compile("^(\\d{3})(-italic)?\\.css$");
    private static final Pattern FACE_BLOCK = Pattern.compile("@font-face\\s*\\{([^}]*)}");
    private static final int MAX_VAR_DEPTH = 8;

    /**
     * One family the page asks for: as first written, where, whether only a var() fallback names it, and
     * whether the page itself names it (a {@code <style>}, {@code style=""} or {@code data-font-family}, the
     * surfaces HyperFrames reads) rather than only a project CSS file.
     */
    private record Request(String family, String where, boolean optional, boolean inline) {
    }

    /** One CSS text of the page, whether it is in the page itself (not a CSS file), and how to write it back. */
    private record Surface(String where, String css, boolean inline, java.util.function.Consumer<String> update) {
    }

    private final Document doc;
    private final Path out;
    private final Function<Element, String> fileOf;
    private final AssetResolver resolver;
    private final boolean failClosed;
    private final List<String> warnings;
    private final Set<String> linkedFamilies;

    private FontMapper(Document doc, Path out, Function<Element, String> fileOf, AssetResolver resolver,
                       boolean failClosed, List<String> warnings, Set<String> linkedFamilies) {
        this.doc = doc;
        this.out = out;
        this.fileOf = fileOf;
        this.resolver = resolver;
        this.failClosed = failClosed;
        this.warnings = warnings;
        this.linkedFamilies = linkedFamilies;
    }

    /**
     * Rewrites generic primaries in {@code doc} and the CSS files under {@code out}, and adds the
     * generated {@code @font-face} rules after the page's last stylesheet; returns that style element
     * (its URLs still remote, for the compiler to localise), or null when the page needs none.
     * {@code linkedFamilies} are the families (any case) the page's Google Fonts stylesheets provide: those
     * draw the faces the stylesheet asks for and get none of ours, unless the family is one of the canonical
     * fonts and the page itself names it (then HyperFrames adds its bundled faces, and so do we).
     */
    static Element apply(Document doc, Path out, Function<Element, String> fileOf, AssetResolver resolver,
                         boolean failClosed, List<String> warnings, Set<String> linkedFamilies) throws IOException {
        Set<String> linked = new java.util.HashSet<>();
        linkedFamilies.forEach(f -> linked.add(FontAliases.normalize(f)));
        return new FontMapper(doc, out, fileOf, resolver, failClosed, warnings, linked).run();
    }

    /**
     * HyperFrames draws every page with {@code text-rendering: geometricPrecision} (no hinting, unrounded
     * font sizes): without it the same font lands a pixel lower with other anti-aliasing (measured: 17
     * against 42 dB PSNR to the reference on a line of Inter). Authors' own rules still win: it comes
     * first in the head, right after the variables script the compiler puts there.
     */
    static void injectTextRendering(Document doc) {
        if (!doc.select("style[" + TEXT_RENDERING_ATTR + "]").isEmpty()) {
            return;
        }
        Element style = new Element("style").attr(TEXT_RENDERING_ATTR, "");
        style.appendChild(new DataNode("html,body,*{text-rendering:geometricPrecision}"));
        Element first = doc.head().children().first();
        if (first != null && first.normalName().equals("script") && "variables".equals(first.attr("data-hfr"))) {
            first.after(style);
        } else {
            doc.head().prependChild(style);
        }
    }

    private Element run() throws IOException {
        List<Surface> surfaces = surfaces();
        Map<String, String> initialProps = customProperties(surfaces);
        UnaryOperator<String> primary = value -> genericPrimary(value, initialProps);
        for (Surface s : surfaces) {
            String next = rewriteDeclarations(s.css(), primary);
            if (!next.equals(s.css())) {
                s.update().accept(next);
            }
        }
        for (Element el : doc.select("[data-font-family]")) {
            String next = primary.apply(el.attr("data-font-family"));
            if (next != null) {
                el.attr("data-font-family", next);
            }
        }

        surfaces = surfaces();
        Map<String, String> props = customProperties(surfaces);
        Set<String> declared = new LinkedHashSet<>();
        Map<String, Request> requested = new LinkedHashMap<>();
        for (Surface s : surfaces) {
            scan(s.css(), s.where(), s.inline(), props, declared, requested);
        }
        for (Element el : doc.select("[data-font-family]")) {
            request(el.attr("data-font-family"), Refs.describe(el, "data-font-family") + " in " + fileOf.apply(el),
                    true, props, requested);
        }

        BitSet text = codePoints(surfaces);
        StringBuilder css = new StringBuilder();
        List<String> unresolved = new ArrayList<>();
        for (Map.Entry<String, Request> e : requested.entrySet()) {
            Request r = e.getValue();
            if (declared.contains(e.getKey()) || linkedOnly(e.getKey(), r)) {
                continue;
            }
            Optional<String> rules = rules(r, text);
            if (rules.isPresent()) {
                css.append(rules.get());
            } else if (r.optional()) {
                warnings.add("font family '" + r.family() + "' (only a var() fallback, " + r.where()
                        + ") has no deterministic font; the browser's fallback draws it");
            } else {
                unresolved.add("'" + r.family() + "' (font-family in " + r.where() + ")");
            }
        }
        if (!unresolved.isEmpty()) {
            String message = "font famil" + (unresolved.size() == 1 ? "y " : "ies ") + String.join(", ", unresolved)
                    + (unresolved.size() == 1 ? " has" : " have") + " no deterministic font: not in the font mapping"
                    + " (docs/fonts.md) and no @fontsource package of that name in the asset cache "
                    + (resolver.registry().isOffline() ? "(the plan is offline, so the npm registry was not asked)"
                            : "or on the npm registry " + resolver.registry().describe())
                    + "; use a mapped family, declare it with @font-face and a project"
                    + " font file, or set fontPolicy \"system\" to leave fonts to the machine";
            if (failClosed) {
                throw new RenderException(ErrorCode.FONT_FETCH_FAILED, message);
            }
            warnings.add(message + " (failClosedFontFetch false: rendering the browser's fallback)");
        }
        if (css.isEmpty()) {
            return null;
        }
        Element style = new Element("style").attr(STYLE_ATTR, "");
        style.appendChild(new DataNode("\n" + css));
        List<Element> sheets = doc.select("style, link[rel~=(?i)stylesheet]");
        if (sheets.isEmpty()) {
            doc.head().appendChild(style);
        } else {
            sheets.getLast().after(style);
        }
        return style;
    }

    /**
     * A family a Google Fonts stylesheet of the page provides draws that stylesheet's faces alone, as in
     * HyperFrames: it reads only the page's own styles for the families to add faces to, so a family named
     * only in a project CSS file keeps the link's faces, and for a family that is not canonical it asks
     * Google for the link's faces and no others. A canonical family (Montserrat, Inter...) that the page
     * itself names gets the bundled faces there, so it keeps ours. many-cuts: Montserrat linked at 900 and
     * named in style.css at 300 drew a real Light (2.1 % of blocks wrong at frame 36) where the reference
     * draws the 900.
     */
    private boolean linkedOnly(String key, Request r) {
        return linkedFamilies.contains(key) && !(r.inline() && FontAliases.canonicalId(r.family()).isPresent());
    }

    // ---------------------------------------------------------------- surfaces

    private List<Surface> surfaces() throws IOException {
        List<Surface> out = new ArrayList<>();
        for (Element style : doc.select("style")) {
            if (style.hasAttr(STYLE_ATTR)) {
                continue;
            }
            out.add(new Surface("<style> in " + fileOf.apply(style), style.data(), true, next -> {
                style.empty();
                style.appendChild(new DataNode(next));
            }));
        }
        for (Element el : doc.select("[style]")) {
            out.add(new Surface(Refs.describe(el, "style") + " in " + fileOf.apply(el), el.attr("style"), true,
                    next -> el.attr("style", next)));
        }
        for (Path file : cssFiles()) {
            String rel = this.out.relativize(file).toString().replace('\\', '/');
            out.add(new Surface(rel, Files.readString(file, StandardCharsets.UTF_8), false, next -> {
                try {
                    Files.writeString(file, next, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new RenderException(ErrorCode.STORAGE_ERROR, "rewriting fonts in " + rel + " failed: "
                            + e.getMessage(), e);
                }
            }));
        }
        return out;
    }

    private List<Path> cssFiles() throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(p -> p.toString().endsWith(".css") && Files.isRegularFile(p))
                    .filter(p -> !out.relativize(p).startsWith("__hfr"))
                    .sorted()
                    .toList();
        }
    }

    private static Map<String, String> customProperties(List<Surface> surfaces) {
        Map<String, String> props = new HashMap<>();
        for (Surface s : surfaces) {
            Matcher m = DECL.matcher(s.css());
            while (m.find()) {
                if (m.group(3) != null && m.group(3).startsWith("--")) {
                    props.put(m.group(3), IMPORTANT.matcher(m.group(5)).replaceFirst("").trim());
                }
            }
        }
        return props;
    }

    // ---------------------------------------------------------------- generic primaries

    /** The CSS with {@code rewrite} applied to each font-family and custom property value (null keeps it). */
    private static String rewriteDeclarations(String css, UnaryOperator<String> rewrite) {
        Matcher m = DECL.matcher(css);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement = m.group();
            if (m.group(3) != null) {
                String raw = m.group(5);
                Matcher imp = IMPORTANT.matcher(raw);
                String important = imp.find() ? imp.group() : "";
                String value = raw.substring(0, raw.length() - important.length());
                String trailing = value.substring(value.stripTrailing().length());
                // a font shorthand keeps a generic primary as HyperFrames does (it reads font-family only):
                // fast-capture-gsap's `font: bold 56px sans-serif` matched it at 44.3 dB, 29.1 with Inter put in front
                String next = m.group(3).equalsIgnoreCase("font") ? null : rewrite.apply(value);
                if (next != null) {
                    replacement = m.group(3) + m.group(4) + next + trailing + important;
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** {@code Inter, <value>} when the value's first family is generic; null when it stays. */
    private static String genericPrimary(String value, Map<String, String> props) {
        VarRef var = VarRef.parse(value);
        if (var != null) {
            String resolved = props.get(var.name());
            if ((resolved != null && !resolved.isEmpty()) || var.fallback() == null) {
                return null;
            }
            String fallback = genericPrimary(var.fallback(), props);
            return fallback == null ? null : "var(" + var.name() + ", " + fallback + ")" + var.rest();
        }
        List<String> families = FontAliases.parseFamilyList(value);
        if (families.isEmpty() || !FontAliases.isGeneric(families.getFirst())) {
            return null;
        }
        return FontAliases.GENERIC_PRIMARY + ", " + value.trim();
    }

    // ---------------------------------------------------------------- requests

    private static void scan(String css, String where, boolean inline, Map<String, String> props,
                             Set<String> declared, Map<String, Request> requested) {
        Matcher m = DECL.matcher(css);
        while (m.find()) {
            if (m.group(2) != null) {
                Matcher f = FACE_FAMILY.matcher(m.group(2));
                if (f.find()) {
                    List<String> names = FontAliases.parseFamilyList(f.group(1));
                    if (!names.isEmpty()) {
                        declared.add(FontAliases.normalize(names.getFirst()));
                    }
                }
            } else if (m.group(3) != null && m.group(3).equalsIgnoreCase("font-family")) {
                request(IMPORTANT.matcher(m.group(5)).replaceFirst(""), where, inline, props, requested);
            } else if (m.group(3) != null && m.group(3).equalsIgnoreCase("font")) {
                String value = IMPORTANT.matcher(m.group(5)).replaceFirst("");
                int at = FontShorthand.familyStart(value);
                if (at >= 0) {
                    request(value.substring(at), where, inline, props, requested);
                }
            }
        }
    }

    private static void request(String declaration, String where, boolean inline, Map<String, String> props,
                                Map<String, Request> requested) {
        for (Request r : families(declaration, where, inline, props, false, 0)) {
            if (!FontAliases.isResolvable(r.family())) {
                continue;
            }
            String key = FontAliases.normalize(r.family());
            Request seen = requested.get(key);
            requested.put(key, seen == null ? r
                    : new Request(seen.family(), seen.optional() && !r.optional() ? r.where() : seen.where(),
                            seen.optional() && r.optional(), seen.inline() || r.inline()));
        }
    }

    /** The families a declaration names, its leading var() resolved through the page's custom properties. */
    private static List<Request> families(String declaration, String where, boolean inline,
                                          Map<String, String> props, boolean optional, int depth) {
        List<String> names = FontAliases.parseFamilyList(declaration);
        VarRef var = depth < MAX_VAR_DEPTH ? VarRef.parse(declaration) : null;
        List<Request> out = new ArrayList<>();
        if (var == null) {
            for (String n : names) {
                out.add(new Request(n, where, optional, inline));
            }
            return out;
        }
        String resolved = props.get(var.name());
        String source = resolved != null && !resolved.isEmpty() ? resolved : var.fallback();
        if (source == null) {
            return out;
        }
        boolean fallbackOnly = resolved == null || resolved.isEmpty() || depth > 0;
        out.addAll(families(source, where, inline, props, optional || fallbackOnly, depth + 1));
        for (String n : FontAliases.parseFamilyList(var.rest().replaceFirst("^\\s*,", ""))) {
            out.add(new Request(n, where, optional, inline));
        }
        return out;
    }

    /** {@code var(--name, fallback)rest} at the start of a value. */
    private record VarRef(String name, String fallback, String rest) {
        static VarRef parse(String value) {
            String v = value.trim();
            if (!v.toLowerCase(java.util.Locale.ROOT).startsWith("var(")) {
                return null;
            }
            int depth = 0;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    String inner = v.substring(4, i).trim();
                    int comma = inner.indexOf(',');
                    String name = (comma < 0 ? inner : inner.substring(0, comma)).trim();
                    if (!name.matches("--[A-Za-z0-9_-]+")) {
                        return null;
                    }
                    return new VarRef(name, comma < 0 ? null : inner.substring(comma + 1), v.substring(i + 1));
                }
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- rules

    /** The @font-face rules drawing {@code r.family()} with its canonical or same-named fontsource package. */
    private Optional<String> rules(Request r, BitSet text) throws IOException {
        Optional<String> canonical = FontAliases.canonicalId(r.family());
        String id = canonical.orElseGet(() -> FontAliases.fontsourceId(r.family()));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String referencedBy = "font-family '" + r.family() + "' in " + r.where();
        Optional<Path> pkg;
        try {
            pkg = resolver.fontsourcePackage(id, referencedBy);
        } catch (RenderException e) {
            if (r.optional() || !failClosed) {
                warnings.add(e.getMessage());
                return Optional.empty();
            }
            throw e;
        }
        if (pkg.isEmpty()) {
            return Optional.empty();
        }
        String css = fontFaces(pkg.get(), r.family(), text);
        return css.isEmpty() ? Optional.empty() : Optional.of(css);
    }

    /**
     * Every character the page's markup, scripts and styles contain, with its upper and lower case:
     * the subsets a page can draw (HyperFrames asks Google Fonts for the same set with {@code text=}).
     */
    private BitSet codePoints(List<Surface> surfaces) {
        BitSet set = new BitSet();
        StringBuilder all = new StringBuilder(doc.outerHtml());
        for (Surface s : surfaces) {
            all.append(s.css());
        }
        all.codePoints().forEach(c -> {
            set.set(c);
            set.set(Character.toUpperCase(c));
            set.set(Character.toLowerCase(c));
        });
        return set;
    }

    /**
     * The static faces of a fontsource package (each weight, normal and italic) renamed to
     * {@code family}, font-display block as HyperFrames emits: the latin subset always, every other
     * subset whose unicode-range holds a character of {@code text}, so the plan carries only the
     * files the page can use.
     */
    static String fontFaces(Path pkgDir, String family, BitSet text) throws IOException {
        List<Path> sheets;
        try (Stream<Path> s = Files.list(pkgDir)) {
            sheets = s.filter(p -> WEIGHT_CSS.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
        if (sheets.isEmpty() && Files.isRegularFile(pkgDir.resolve("index.css"))) {
            sheets = List.of(pkgDir.resolve("index.css"));
        }
        String base = "https://cdn.jsdelivr.net/npm/@fontsource/" + pkgDir.getFileName() + "/files/";
        String quoted = "\"" + family.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        StringBuilder css = new StringBuilder();
        for (Path sheet : sheets) {
            Matcher block = FACE_BLOCK.matcher(Files.readString(sheet, StandardCharsets.UTF_8));
            while (block.find()) {
                String body = block.group(1);
                String style = descriptor(body, "font-style", "normal");
                String weight = descriptor(body, "font-weight", "400");
                String range = descriptor(body, "unicode-range", null);
                Matcher src = Pattern.compile("url\\(\\s*['\"]?\\./files/([A-Za-z0-9._-]+\\.woff2)['\"]?\\s*\\)").matcher(body);
                if (!src.find() || !Files.isRegularFile(pkgDir.resolve("files").resolve(src.group(1)))) {
                    continue;
                }
                boolean latin = src.group(1).matches(".*-latin-\\d{3}-(normal|italic)\\.woff2");
                if (!latin && range != null && !intersects(range, text)) {
                    continue;
                }
                css.append("@font-face {\n  font-family: ").append(quoted).append(";\n  font-style: ").append(style)
                        .append(";\n  font-weight: ").append(weight).append(";\n  font-display: block;\n  src: url(\"")
                        .append(base).append(src.group(1)).append("\") format(\"woff2\");\n");
                if (range != null) {
                    css.append("  unicode-range: ").append(range).append(";\n");
                }
                css.append("}\n");
            }
        }
        return css.toString();
    }

    /** Whether a unicode-range ({@code U+0000-00FF, U+0131, U+4??}) holds a character of {@code text}. */
    static boolean intersects(String unicodeRange, BitSet text) {
        for (String token : unicodeRange.split(",")) {
            String t = token.trim().toUpperCase(java.util.Locale.ROOT);
            if (!t.startsWith("U+")) {
                continue;
            }
            t = t.substring(2);
            int lo;
            int hi;
            try {
                int dash = t.indexOf('-');
                if (dash >= 0) {
                    lo = Integer.parseInt(t.substring(0, dash), 16);
                    hi = Integer.parseInt(t.substring(dash + 1), 16);
                } else {
                    lo = Integer.parseInt(t.replace('?', '0'), 16);
                    hi = Integer.parseInt(t.replace('?', 'F'), 16);
                }
            } catch (NumberFormatException e) {
                return true; // a range we cannot read: keep the face rather than lose glyphs
            }
            int next = text.nextSetBit(lo);
            if (next >= 0 && next <= hi) {
                return true;
            }
        }
        return false;
    }

    private static String descriptor(String body, String name, String fallback) {
        Matcher m = Pattern.compile("(?<![\\w-])" + name + "\\s*:\\s*([^;]+)").matcher(body);
        return m.find() ? m.group(1).trim() : fallback;
    }
}
