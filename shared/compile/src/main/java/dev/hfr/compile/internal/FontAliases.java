package dev.hfr.compile.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deterministic font mapping HyperFrames applies (its {@code FONT_ALIAS_MAP}): family names a
 * composition writes, lower-cased, to one of a small set of canonical web fonts, each an npm
 * {@code @fontsource/<id>} package. Families not listed here resolve by their own name (the
 * fontsource package of a Google Fonts family), or not at all. The table is documented in
 * {@code docs/fonts.md}; change both together.
 */
public final class FontAliases {
    /** CSS generic families and the system-font keywords browsers treat like them. */
    public static final Set<String> GENERIC_FAMILIES = Set.of("sans-serif", "serif", "monospace", "cursive",
            "fantasy", "system-ui", "ui-sans-serif", "ui-serif", "ui-monospace", "emoji", "math", "fangsong",
            "-apple-system", "blinkmacsystemfont");

    /** Keywords a font-family value may be instead of a family list. */
    public static final Set<String> CSS_WIDE_KEYWORDS = Set.of("inherit", "initial", "unset", "revert",
            "revert-layer");

    /** The family a generic primary family is drawn with (HyperFrames prepends it to the declaration). */
    public static final String GENERIC_PRIMARY = "Inter";

    /** Canonical fontsource id to its display name. */
    private static final Map<String, String> CANONICAL = new LinkedHashMap<>();
    /** Lower-case alias to canonical fontsource id. */
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        canonical("inter", "Inter");
        canonical("montserrat", "Montserrat");
        canonical("outfit", "Outfit");
        canonical("nunito", "Nunito");
        canonical("oswald", "Oswald");
        canonical("league-gothic", "League Gothic");
        canonical("archivo-black", "Archivo Black");
        canonical("space-mono", "Space Mono");
        canonical("ibm-plex-mono", "IBM Plex Mono");
        canonical("jetbrains-mono", "JetBrains Mono");
        canonical("eb-garamond", "EB Garamond");
        canonical("playfair-display", "Playfair Display");
        canonical("source-code-pro", "Source Code Pro");
        canonical("noto-sans-jp", "Noto Sans JP");
        canonical("roboto", "Roboto");
        canonical("open-sans", "Open Sans");
        canonical("lato", "Lato");
        canonical("poppins", "Poppins");

        alias("inter", "helvetica neue", "helvetica", "arial", "helvetica bold",
                // macOS, Windows and Linux sans-serif system fonts
                "sf pro", "sf pro display", "sf pro text", "sf pro rounded", "avenir", "avenir next",
                "lucida grande", "geneva", "optima", "verdana", "tahoma", "trebuchet ms", "calibri", "candara",
                "corbel", "lucida sans", "lucida sans unicode", "noto sans", "dejavu sans", "liberation sans");
        alias("montserrat", "futura", "din alternate", "arial black");
        alias("league-gothic", "bebas neue");
        alias("jetbrains-mono", "courier new", "courier", "sf mono", "menlo", "monaco", "consolas",
                "lucida console", "lucida sans typewriter", "andale mono", "dejavu sans mono", "liberation mono");
        alias("eb-garamond", "garamond", "georgia", "palatino", "palatino linotype", "book antiqua", "cambria",
                "times", "times new roman", "dejavu serif", "liberation serif");
        alias("noto-sans-jp", "noto sans japanese");
        alias("roboto", "segoe ui");
    }

    private FontAliases() {
    }

    private static void canonical(String id, String displayName) {
        CANONICAL.put(id, displayName);
        ALIASES.put(displayName.toLowerCase(Locale.ROOT), id);
    }

    private static void alias(String id, String... names) {
        for (String n : names) {
            ALIASES.put(n, id);
        }
    }

    /** The canonical fontsource id a family maps to ("Arial" -> inter), if it is in the table. */
    public static Optional<String> canonicalId(String family) {
        return Optional.ofNullable(ALIASES.get(normalize(family)));
    }

    /** Every alias with its canonical id, in table order (canonical names first). */
    public static Map<String, String> table() {
        return java.util.Collections.unmodifiableMap(ALIASES);
    }

    /** Display name of a canonical id ("jetbrains-mono" -> "JetBrains Mono"). */
    public static String displayName(String canonicalId) {
        return CANONICAL.getOrDefault(canonicalId, canonicalId);
    }

    /** The fontsource id a Google Fonts family is published under ("Press Start 2P" -> press-start-2p). */
    public static String fontsourceId(String family) {
        return normalize(family).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    public static boolean isGeneric(String family) {
        return GENERIC_FAMILIES.contains(normalize(family));
    }

    /** A name worth resolving: not generic, not a CSS-wide keyword, not a var() reference. */
    public static boolean isResolvable(String family) {
        String n = normalize(family);
        return !n.isEmpty() && !n.startsWith("var(") && !GENERIC_FAMILIES.contains(n) && !CSS_WIDE_KEYWORDS.contains(n);
    }

    /** Lower case, surrounding quotes and space removed. */
    public static String normalize(String family) {
        return family.trim().replaceAll("^['\"]|['\"]$", "").trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Splits a font-family value at top-level commas (not inside quotes or parentheses) and unquotes
     * each name: {@code "'SF Pro', var(--x, a), serif"} -> [SF Pro, var(--x, a), serif].
     */
    public static List<String> parseFamilyList(String value) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && depth == 0) {
                pieces.add(value.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(value.substring(start));
        List<String> out = new ArrayList<>();
        for (String p : pieces) {
            String name = p.trim().replaceAll("^['\"]", "").replaceAll("['\"]$", "").trim();
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }
}
