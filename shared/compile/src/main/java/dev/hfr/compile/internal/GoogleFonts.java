package dev.hfr.compile.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses Google Fonts CSS URLs ({@code css2?family=...} and the older {@code css?family=...}) into
 * the faces they ask for, and writes the matching {@code @font-face} CSS.
 */
public final class GoogleFonts {
    /** One face: family name as written ("Space Mono"), weight 100..900, italic or not. */
    public record Face(String family, int weight, boolean italic) {
        public String style() {
            return italic ? "italic" : "normal";
        }

        /** The @fontsource package id: lower case, spaces to dashes ("Press Start 2P" -> press-start-2p). */
        public String fontsourceId() {
            return fontsourceId(family);
        }

        public static String fontsourceId(String family) {
            return family.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-");
        }
    }

    /** Google's unicode-range for the latin subset, so browsers pick these faces for Latin text. */
    public static final String LATIN_RANGE = "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, "
            + "U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD";

    private static final int[] STATIC_WEIGHTS = {100, 200, 300, 400, 500, 600, 700, 800, 900};

    private GoogleFonts() {
    }

    public static boolean isGoogleFontsCss(String url) {
        try {
            URI u = Urls.parse(url);
            return "fonts.googleapis.com".equalsIgnoreCase(u.getHost())
                    && ("/css2".equals(u.getPath()) || "/css".equals(u.getPath()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** font-display from the URL ({@code display=swap}), or null. */
    public static String display(String url) {
        for (String param : query(url)) {
            if (param.startsWith("display=")) {
                return param.substring("display=".length());
            }
        }
        return null;
    }

    /** The faces a Google Fonts CSS URL asks for, in URL order, without duplicates. */
    public static List<Face> parse(String url) {
        boolean css2 = Urls.parse(url).getPath().equals("/css2");
        Set<Face> faces = new LinkedHashSet<>();
        for (String param : query(url)) {
            if (!param.startsWith("family=")) {
                continue;
            }
            String value = param.substring("family=".length());
            if (css2) {
                faces.addAll(parseFamily(value, true));
            } else {
                // css v1: family=Roboto:400,700italic|Open+Sans
                for (String fam : value.split("\\|")) {
                    faces.addAll(parseFamily(fam, false));
                }
            }
        }
        return List.copyOf(faces);
    }

    private static List<String> query(String url) {
        String raw = Urls.parse(url).getRawQuery();
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (String p : raw.split("&")) {
            out.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * The faces of one {@code family} parameter: {@code Name} alone is the regular face; after a colon come the
     * css2 axis tuples ({@code ital,wght@0,400;1,700}) or the css1 variants ({@code 400,700italic}).
     */
    private static List<Face> parseFamily(String value, boolean css2) {
        int colon = value.indexOf(':');
        String family = (colon < 0 ? value : value.substring(0, colon)).trim();
        if (colon < 0) {
            return new ArrayList<>(List.of(new Face(family, 400, false)));
        }
        String spec = value.substring(colon + 1);
        return css2 ? css2Faces(family, spec) : css1Faces(family, spec);
    }

    private static List<Face> css2Faces(String family, String spec) {
        List<Face> out = new ArrayList<>();
        int at = spec.indexOf('@');
        if (at < 0) {
            out.add(new Face(family, 400, false));
            return out;
        }
        String[] axes = spec.substring(0, at).split(",");
        for (String tuple : spec.substring(at + 1).split(";")) {
            String[] values = tuple.split(",");
            boolean italic = false;
            List<Integer> weights = new ArrayList<>(List.of(400));
            for (int i = 0; i < axes.length && i < values.length; i++) {
                String axis = axes[i].trim();
                String v = values[i].trim();
                if (axis.equals("ital")) {
                    italic = v.equals("1");
                } else if (axis.equals("wght")) {
                    weights = weights(v, family);
                }
            }
            for (int w : weights) {
                out.add(new Face(family, w, italic));
            }
        }
        return out;
    }

    private static List<Integer> weights(String v, String family) {
        List<Integer> out = new ArrayList<>();
        if (v.contains("..")) {
            // A variable-weight range: ship every static weight inside it.
            String[] range = v.split("\\.\\.");
            int lo = Integer.parseInt(range[0].trim());
            int hi = Integer.parseInt(range[1].trim());
            for (int w : STATIC_WEIGHTS) {
                if (w >= lo && w <= hi) {
                    out.add(w);
                }
            }
            return out;
        }
        try {
            out.add(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("font weight '" + v + "' of family " + family + " is not a number");
        }
        return out;
    }

    private static List<Face> css1Faces(String family, String spec) {
        List<Face> out = new ArrayList<>();
        for (String variant : spec.split(",")) {
            String v = variant.trim().toLowerCase(Locale.ROOT);
            boolean italic = v.endsWith("italic") || v.endsWith("i");
            String digits = v.replaceAll("[^0-9]", "");
            int weight = digits.isEmpty() ? (v.contains("bold") ? 700 : 400) : Integer.parseInt(digits);
            out.add(new Face(family, weight, italic));
        }
        return out;
    }

    /** One {@code @font-face} rule for a face whose woff2 lives at {@code src}. */
    public static String fontFace(Face face, String src, String display) {
        return "@font-face {\n"
                + "  font-family: '" + face.family().replace("'", "\\'") + "';\n"
                + "  font-style: " + face.style() + ";\n"
                + "  font-weight: " + face.weight() + ";\n"
                + (display == null || display.isBlank() ? "" : "  font-display: " + display + ";\n")
                + "  src: url(" + src + ") format('woff2');\n"
                + "  unicode-range: " + LATIN_RANGE + ";\n"
                + "}\n";
    }
}
