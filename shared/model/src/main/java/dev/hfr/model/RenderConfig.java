package dev.hfr.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The render config, wire-compatible with the HyperFrames workflow input {@code Config}.
 * Every field is optional on the wire; {@link #withDefaults()} fills what the user left out and
 * {@link #validate()} lists every broken rule at once.
 *
 * <p>{@code width}/{@code height} may be left out: the plan then takes the composition's own
 * {@code data-width}/{@code data-height}.
 */
@Serdeable
public record RenderConfig(
        @Nullable Integer fps,
        @Nullable Integer width,
        @Nullable Integer height,
        @Nullable String format,
        @Nullable String codec,
        @Nullable String quality,
        @Nullable Integer crf,
        @Nullable String bitrate,
        @Nullable Integer chunkSize,
        @Nullable Integer maxParallelChunks,
        @Nullable Integer targetChunkFrames,
        @Nullable String runtimeCap,
        @Nullable String entryFile,
        @Nullable Map<String, Object> variables,
        @Nullable String hdrMode,
        @Nullable Boolean cfr,
        @Nullable Boolean failClosedFontFetch,
        @Nullable Boolean allowRemoteAssets,
        @Nullable Boolean allowMissingMedia,
        @Nullable String fontPolicy) {

    public static final Set<String> FORMATS = Set.copyOf(OutputFormat.wireNames());
    public static final Set<String> CODECS = Set.of("h264", "h265");
    public static final Set<String> QUALITIES = Set.of("draft", "standard", "high");
    public static final Set<String> RUNTIME_CAPS = Set.of("lambda", "temporal", "cloud-run-job", "k8s-job", "none");
    public static final Set<String> HDR_MODES = Set.of("auto", "force-sdr");
    /** {@code strict}: HyperFrames' deterministic font mapping; {@code system}: families left to fontconfig. */
    public static final Set<String> FONT_POLICIES = Set.of("strict", "system");
    public static final String DEFAULT_FONT_POLICY = "strict";
    private static final Pattern BITRATE = Pattern.compile("^\\d+(\\.\\d+)?[kKmM]?$");

    /** The constructor before {@code fontPolicy} existed; the font policy is then left unset (strict). */
    public RenderConfig(Integer fps, Integer width, Integer height, String format, String codec, String quality,
                        Integer crf, String bitrate, Integer chunkSize, Integer maxParallelChunks,
                        Integer targetChunkFrames, String runtimeCap, String entryFile, Map<String, Object> variables,
                        String hdrMode, Boolean cfr, Boolean failClosedFontFetch, Boolean allowRemoteAssets,
                        Boolean allowMissingMedia) {
        this(fps, width, height, format, codec, quality, crf, bitrate, chunkSize, maxParallelChunks, targetChunkFrames,
                runtimeCap, entryFile, variables, hdrMode, cfr, failClosedFontFetch, allowRemoteAssets, allowMissingMedia,
                null);
    }

    /** A config with only the required-looking fields, everything else defaulted. */
    public static RenderConfig of(int fps, String format) {
        return builder().fps(fps).format(format).build();
    }

    public static RenderConfig empty() {
        return builder().build();
    }

    /** A config built by name: every field starts unset (null), as on the wire. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.fps = fps;
        b.width = width;
        b.height = height;
        b.format = format;
        b.codec = codec;
        b.quality = quality;
        b.crf = crf;
        b.bitrate = bitrate;
        b.chunkSize = chunkSize;
        b.maxParallelChunks = maxParallelChunks;
        b.targetChunkFrames = targetChunkFrames;
        b.runtimeCap = runtimeCap;
        b.entryFile = entryFile;
        b.variables = variables;
        b.hdrMode = hdrMode;
        b.cfr = cfr;
        b.failClosedFontFetch = failClosedFontFetch;
        b.allowRemoteAssets = allowRemoteAssets;
        b.allowMissingMedia = allowMissingMedia;
        b.fontPolicy = fontPolicy;
        return b;
    }

    /** Builds a {@link RenderConfig} by field name instead of by position; unset fields stay null. */
    public static final class Builder {
        private Integer fps;
        private Integer width;
        private Integer height;
        private String format;
        private String codec;
        private String quality;
        private Integer crf;
        private String bitrate;
        private Integer chunkSize;
        private Integer maxParallelChunks;
        private Integer targetChunkFrames;
        private String runtimeCap;
        private String entryFile;
        private Map<String, Object> variables;
        private String hdrMode;
        private Boolean cfr;
        private Boolean failClosedFontFetch;
        private Boolean allowRemoteAssets;
        private Boolean allowMissingMedia;
        private String fontPolicy;

        private Builder() {
        }

        public Builder fps(Integer fps) {
            this.fps = fps;
            return this;
        }

        public Builder width(Integer width) {
            this.width = width;
            return this;
        }

        public Builder height(Integer height) {
            this.height = height;
            return this;
        }

        public Builder format(String format) {
            this.format = format;
            return this;
        }

        public Builder codec(String codec) {
            this.codec = codec;
            return this;
        }

        public Builder quality(String quality) {
            this.quality = quality;
            return this;
        }

        public Builder crf(Integer crf) {
            this.crf = crf;
            return this;
        }

        public Builder bitrate(String bitrate) {
            this.bitrate = bitrate;
            return this;
        }

        public Builder chunkSize(Integer chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        public Builder maxParallelChunks(Integer maxParallelChunks) {
            this.maxParallelChunks = maxParallelChunks;
            return this;
        }

        public Builder targetChunkFrames(Integer targetChunkFrames) {
            this.targetChunkFrames = targetChunkFrames;
            return this;
        }

        public Builder runtimeCap(String runtimeCap) {
            this.runtimeCap = runtimeCap;
            return this;
        }

        public Builder entryFile(String entryFile) {
            this.entryFile = entryFile;
            return this;
        }

        public Builder variables(Map<String, Object> variables) {
            this.variables = variables;
            return this;
        }

        public Builder hdrMode(String hdrMode) {
            this.hdrMode = hdrMode;
            return this;
        }

        public Builder cfr(Boolean cfr) {
            this.cfr = cfr;
            return this;
        }

        public Builder failClosedFontFetch(Boolean failClosedFontFetch) {
            this.failClosedFontFetch = failClosedFontFetch;
            return this;
        }

        public Builder allowRemoteAssets(Boolean allowRemoteAssets) {
            this.allowRemoteAssets = allowRemoteAssets;
            return this;
        }

        public Builder allowMissingMedia(Boolean allowMissingMedia) {
            this.allowMissingMedia = allowMissingMedia;
            return this;
        }

        public Builder fontPolicy(String fontPolicy) {
            this.fontPolicy = fontPolicy;
            return this;
        }

        public RenderConfig build() {
            return new RenderConfig(fps, width, height, format, codec, quality, crf, bitrate, chunkSize,
                    maxParallelChunks, targetChunkFrames, runtimeCap, entryFile, variables, hdrMode, cfr,
                    failClosedFontFetch, allowRemoteAssets, allowMissingMedia, fontPolicy);
        }
    }

    /** Fills unset fields with defaults (fps 30, mp4, h264 for mp4, standard quality, ...). */
    public RenderConfig withDefaults() {
        String fmt = format == null ? OutputFormat.MP4.wireName() : format;
        return new RenderConfig(
                fps == null ? 30 : fps,
                width,
                height,
                fmt,
                codec == null && OutputFormat.fromWire(fmt) == OutputFormat.MP4 ? "h264" : codec,
                quality == null ? "standard" : quality,
                crf,
                bitrate,
                chunkSize,
                maxParallelChunks == null ? Limits.DEFAULT_MAX_PARALLEL_CHUNKS : maxParallelChunks,
                targetChunkFrames,
                runtimeCap == null ? "none" : runtimeCap,
                entryFile == null || entryFile.isBlank() ? Limits.DEFAULT_ENTRY_FILE : entryFile,
                variables == null ? Map.of() : variables,
                hdrMode == null ? "force-sdr" : hdrMode,
                cfr != null && cfr,
                failClosedFontFetch == null || failClosedFontFetch,
                allowRemoteAssets != null && allowRemoteAssets,
                allowMissingMedia != null && allowMissingMedia,
                fontPolicy == null ? DEFAULT_FONT_POLICY : fontPolicy);
    }

    public OutputFormat outputFormat() {
        OutputFormat f = OutputFormat.fromWire(format);
        return f == null ? OutputFormat.MP4 : f;
    }

    /** Every broken rule, in field order; empty when the config is valid. */
    public List<ConfigViolation> validate() {
        List<ConfigViolation> v = new ArrayList<>();
        if (fps != null && (fps < Limits.MIN_FPS || fps > Limits.MAX_FPS)) {
            v.add(new ConfigViolation("fps", String.valueOf(fps), "an integer from " + Limits.MIN_FPS + " to "
                    + Limits.MAX_FPS));
        }
        checkDimension(v, "width", width);
        checkDimension(v, "height", height);
        if (format != null && !FORMATS.contains(format)) {
            v.add(new ConfigViolation("format", quote(format), "one of " + String.join(", ", OutputFormat.wireNames())));
        }
        if (codec != null) {
            if (!CODECS.contains(codec)) {
                v.add(new ConfigViolation("codec", quote(codec), "one of h264, h265"));
            } else if (format != null && OutputFormat.fromWire(format) != OutputFormat.MP4) {
                v.add(new ConfigViolation("codec", quote(codec),
                        "no codec with format " + quote(format) + " (codec applies to mp4 only)"));
            }
        }
        if (quality != null && !QUALITIES.contains(quality)) {
            v.add(new ConfigViolation("quality", quote(quality), "one of draft, standard, high"));
        }
        if (crf != null && (crf < Limits.MIN_CRF || crf > Limits.MAX_CRF)) {
            v.add(new ConfigViolation("crf", String.valueOf(crf), "an integer in 0..51"));
        }
        if (bitrate != null && !BITRATE.matcher(bitrate).matches()) {
            v.add(new ConfigViolation("bitrate", quote(bitrate), "a number with an optional k or M suffix, e.g. 8M"));
        }
        if (crf != null && bitrate != null) {
            v.add(new ConfigViolation("bitrate", quote(bitrate), "crf and bitrate are mutually exclusive: set one"));
        }
        if (chunkSize != null && (chunkSize < Limits.MIN_CHUNK_SIZE || chunkSize > Limits.MAX_CHUNK_SIZE)) {
            v.add(new ConfigViolation("chunkSize", String.valueOf(chunkSize), "an integer in 1..3600"));
        }
        if (maxParallelChunks != null
                && (maxParallelChunks < Limits.MIN_PARALLEL_CHUNKS || maxParallelChunks > Limits.MAX_PARALLEL_CHUNKS)) {
            v.add(new ConfigViolation("maxParallelChunks", String.valueOf(maxParallelChunks), "an integer in 1..256"));
        }
        if (targetChunkFrames != null && (targetChunkFrames < 1 || targetChunkFrames > Limits.MAX_CHUNK_SIZE)) {
            v.add(new ConfigViolation("targetChunkFrames", String.valueOf(targetChunkFrames), "an integer in 1..3600"));
        }
        if (runtimeCap != null && !RUNTIME_CAPS.contains(runtimeCap)) {
            v.add(new ConfigViolation("runtimeCap", quote(runtimeCap),
                    "one of lambda, temporal, cloud-run-job, k8s-job, none"));
        }
        if (hdrMode != null && !HDR_MODES.contains(hdrMode)) {
            v.add(new ConfigViolation("hdrMode", quote(hdrMode), "one of auto, force-sdr (distributed renders are SDR)"));
        }
        if (cfr != null && cfr && format != null && OutputFormat.fromWire(format) != OutputFormat.MP4) {
            v.add(new ConfigViolation("cfr", "true", "cfr only with format mp4"));
        }
        if (entryFile != null && (entryFile.isBlank() || entryFile.startsWith("/") || entryFile.contains("..")
                || entryFile.contains("\\"))) {
            v.add(new ConfigViolation("entryFile", quote(entryFile), "a relative path inside the project, e.g. index.html"));
        }
        if (variables != null) {
            checkVariables(v, "variables", variables, 0);
        }
        if (fontPolicy != null && !FONT_POLICIES.contains(fontPolicy)) {
            v.add(new ConfigViolation("fontPolicy", quote(fontPolicy),
                    "one of strict (deterministic web fonts, the default), system (the machine's fonts)"));
        }
        return v;
    }

    /** Returns this config with defaults applied, or throws {@link InvalidConfigException} listing every violation. */
    public RenderConfig validated() {
        List<ConfigViolation> v = validate();
        if (!v.isEmpty()) {
            throw new InvalidConfigException(v);
        }
        return withDefaults();
    }

    private static void checkDimension(List<ConfigViolation> v, String field, Integer value) {
        if (value == null) {
            return;
        }
        if (value < Limits.MIN_DIMENSION || value > Limits.MAX_DIMENSION) {
            v.add(new ConfigViolation(field, String.valueOf(value), "an integer in 16..7680"));
        } else if (value % 2 != 0) {
            v.add(new ConfigViolation(field, String.valueOf(value), "an even number (yuv420p needs even sizes)"));
        }
    }

    private static void checkVariables(List<ConfigViolation> v, String path, Object value, int depth) {
        if (depth > 32) {
            v.add(new ConfigViolation(path, "(nested deeper than 32)", "plain JSON nested at most 32 levels"));
            return;
        }
        if (value == null || value instanceof String || value instanceof Boolean) {
            return;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                v.add(new ConfigViolation(path, String.valueOf(n), "a finite number"));
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                checkVariables(v, path + "." + e.getKey(), e.getValue(), depth + 1);
            }
            return;
        }
        if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                checkVariables(v, path + "[" + i + "]", l.get(i), depth + 1);
            }
            return;
        }
        v.add(new ConfigViolation(path, value.getClass().getSimpleName(), "plain JSON (string, number, boolean, object, array)"));
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** A copy with the given non-null overrides applied (used by the CLI's flags). */
    public RenderConfig merge(RenderConfig o) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (variables != null) {
            vars.putAll(variables);
        }
        if (o.variables != null) {
            vars.putAll(o.variables);
        }
        return new RenderConfig(
                o.fps != null ? o.fps : fps,
                o.width != null ? o.width : width,
                o.height != null ? o.height : height,
                o.format != null ? o.format : format,
                o.codec != null ? o.codec : codec,
                o.quality != null ? o.quality : quality,
                o.crf != null ? o.crf : crf,
                o.bitrate != null ? o.bitrate : bitrate,
                o.chunkSize != null ? o.chunkSize : chunkSize,
                o.maxParallelChunks != null ? o.maxParallelChunks : maxParallelChunks,
                o.targetChunkFrames != null ? o.targetChunkFrames : targetChunkFrames,
                o.runtimeCap != null ? o.runtimeCap : runtimeCap,
                o.entryFile != null ? o.entryFile : entryFile,
                vars.isEmpty() ? null : vars,
                o.hdrMode != null ? o.hdrMode : hdrMode,
                o.cfr != null ? o.cfr : cfr,
                o.failClosedFontFetch != null ? o.failClosedFontFetch : failClosedFontFetch,
                o.allowRemoteAssets != null ? o.allowRemoteAssets : allowRemoteAssets,
                o.allowMissingMedia != null ? o.allowMissingMedia : allowMissingMedia,
                o.fontPolicy != null ? o.fontPolicy : fontPolicy);
    }
}
