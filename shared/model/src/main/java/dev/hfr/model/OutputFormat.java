package dev.hfr.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Output container formats. */
public enum OutputFormat {
    MP4("mp4", ".mp4", false),
    WEBM("webm", ".webm", true),
    MOV("mov", ".mov", true),
    PNG_SEQUENCE("png-sequence", "", true);

    private final String wireName;
    private final String extension;
    private final boolean alpha;

    OutputFormat(String wireName, String extension, boolean alpha) {
        this.wireName = wireName;
        this.extension = extension;
        this.alpha = alpha;
    }

    public String wireName() {
        return wireName;
    }

    /** File extension of a chunk or output, with the dot; empty for frame directories. */
    public String extension() {
        return extension;
    }

    /** Whether frames are captured with transparency (PNG) rather than as opaque JPEG. */
    public boolean alpha() {
        return alpha;
    }

    /**
     * The format a wire name names, or null for null or an unknown name. Exact, as the config check is: {@code MP4}
     * is refused everywhere (config, {@code --format}, a batch line), not accepted by one path and refused by another.
     */
    public static OutputFormat fromWire(String s) {
        if (s == null) {
            return null;
        }
        for (OutputFormat f : values()) {
            if (f.wireName.equals(s)) {
                return f;
            }
        }
        return null;
    }

    /** Every wire name, in declaration order. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(OutputFormat::wireName).toList();
    }

    /** Picks the format from an output file name, or null when the extension says nothing. */
    public static OutputFormat fromFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".mp4")) {
            return MP4;
        }
        if (n.endsWith(".webm")) {
            return WEBM;
        }
        if (n.endsWith(".mov")) {
            return MOV;
        }
        if (n.endsWith("/") || !n.substring(n.lastIndexOf('/') + 1).contains(".")) {
            return PNG_SEQUENCE;
        }
        return null;
    }
}
