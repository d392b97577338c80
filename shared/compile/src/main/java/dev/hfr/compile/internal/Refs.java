package dev.hfr.compile.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Element;

/** Finds the URL-bearing attributes of an HTML tree (scripts, stylesheets, media) for the compiler and validator. */
public final class Refs {
    public enum Kind { SCRIPT, STYLESHEET, MEDIA, OTHER }

    /** One URL in one attribute; for srcset, one entry per candidate. */
    public record Ref(Element element, String attribute, String url, Kind kind) {
    }

    private Refs() {
    }

    public static List<Ref> scan(Element root) {
        List<Ref> refs = new ArrayList<>();
        for (Element el : root.getAllElements()) {
            String tag = el.normalName();
            switch (tag) {
                case "script" -> add(refs, el, "src", Kind.SCRIPT);
                case "link" -> {
                    String rel = el.attr("rel").toLowerCase(Locale.ROOT);
                    if (rel.contains("preconnect") || rel.contains("dns-prefetch")) {
                        continue; // no resource behind it
                    }
                    add(refs, el, "href", rel.contains("stylesheet") ? Kind.STYLESHEET
                            : rel.contains("modulepreload") ? Kind.SCRIPT : Kind.OTHER);
                }
                case "img" -> {
                    add(refs, el, "src", Kind.MEDIA);
                    srcset(refs, el);
                }
                case "source" -> {
                    add(refs, el, "src", Kind.MEDIA);
                    srcset(refs, el);
                }
                case "video" -> {
                    add(refs, el, "src", Kind.MEDIA);
                    add(refs, el, "poster", Kind.MEDIA);
                }
                case "audio", "track", "embed" -> add(refs, el, "src", Kind.MEDIA);
                case "image" -> {
                    add(refs, el, "href", Kind.MEDIA);
                    add(refs, el, "xlink:href", Kind.MEDIA);
                }
                default -> {
                }
            }
        }
        return refs;
    }

    private static void add(List<Ref> refs, Element el, String attr, Kind kind) {
        if (el.hasAttr(attr) && !el.attr(attr).isBlank()) {
            refs.add(new Ref(el, attr, el.attr(attr).trim(), kind));
        }
    }

    private static void srcset(List<Ref> refs, Element el) {
        for (String url : srcsetUrls(el.attr("srcset"))) {
            refs.add(new Ref(el, "srcset", url, Kind.MEDIA));
        }
    }

    /** The URLs of a srcset value ("a.png 1x, b.png 2x"). */
    public static List<String> srcsetUrls(String srcset) {
        List<String> out = new ArrayList<>();
        if (srcset == null || srcset.isBlank()) {
            return out;
        }
        for (String candidate : srcset.split(",\\s*")) {
            String c = candidate.trim();
            if (!c.isEmpty()) {
                out.add(c.split("\\s+")[0]);
            }
        }
        return out;
    }

    public static boolean isRemote(String url) {
        String u = url.trim().toLowerCase(Locale.ROOT);
        return u.startsWith("http://") || u.startsWith("https://") || u.startsWith("//");
    }

    /** References that never touch a file or the network (inline data, fragments, script URLs). */
    public static boolean isInline(String url) {
        String u = url.trim().toLowerCase(Locale.ROOT);
        return u.isEmpty() || u.startsWith("data:") || u.startsWith("blob:") || u.startsWith("#")
                || u.startsWith("javascript:") || u.startsWith("about:") || u.startsWith("mailto:");
    }

    /** A URL with a scheme other than http(s) (file:, ftp:, ...): neither a project file nor ours to fetch. */
    public static boolean isOtherScheme(String url) {
        return url.trim().matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !isRemote(url) && !isInline(url);
    }

    /** {@code <audio id="click-1" src>}: how error messages name the element and attribute. */
    public static String describe(Element el, String attribute) {
        StringBuilder sb = new StringBuilder("<").append(el.normalName());
        if (!el.id().isEmpty()) {
            sb.append(" id=\"").append(el.id()).append('"');
        }
        if (attribute != null) {
            sb.append(' ').append(attribute);
        }
        return sb.append('>').toString();
    }
}
