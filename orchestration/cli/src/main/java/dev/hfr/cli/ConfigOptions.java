package dev.hfr.cli;

import dev.hfr.model.ConfigViolation;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import io.micronaut.serde.ObjectMapper;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The render config as flags; they mirror the workflow input's {@code Config}. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Config JSON (the workflow input's Config); flags override it.")
    Path configFile;
    @Option(names = "--fps", description = "Frames per second, any integer from 1 to 120 (default 30).")
    Integer fps;
    @Option(names = "--width", description = "Output width (even, 16..7680; default: the composition's data-width).")
    Integer width;
    @Option(names = "--height", description = "Output height (even, 16..7680; default: the composition's data-height).")
    Integer height;
    @Option(names = "--format", description = "mp4, webm, mov or png-sequence (default: from the output's extension).")
    String format;
    @Option(names = "--codec", description = "h264 (default) or h265; mp4 only.")
    String codec;
    @Option(names = "--quality", description = "draft, standard (default) or high.")
    String quality;
    @Option(names = "--crf", description = "Constant rate factor 0..51 (overrides --quality's CRF).")
    Integer crf;
    @Option(names = "--bitrate", description = "Target bitrate such as 8M (instead of --crf).")
    String bitrate;
    @Option(names = "--chunk-size", description = "Frames per chunk, 1..3600 (default: sized so every worker gets one).")
    Integer chunkSize;
    @Option(names = "--max-parallel-chunks", description = "Chunks rendered at once, 1..256 (default 16).")
    Integer maxParallelChunks;
    @Option(names = "--entry-file", description = "Entry HTML file inside the project (default index.html).")
    String entryFile;
    @Option(names = "--var", paramLabel = "KEY=VALUE", description = "Composition variable override (repeatable); VALUE is JSON or a string.")
    Map<String, String> vars = new LinkedHashMap<>();
    @Option(names = "--allow-network", description = "Fetch remote assets missing from the asset cache (default: offline).")
    Boolean allowNetwork;
    @Option(names = "--allow-missing-media", description = "Render missing images/videos/audio blank with a warning instead of failing.")
    Boolean allowMissingMedia;
    @Option(names = "--font-policy", paramLabel = "strict|system", description = "strict (default): font families drawn with HyperFrames' deterministic web fonts, unknown families fail; system: the machine's fonts.")
    String fontPolicy;

    RenderConfig toConfig(String defaultFormat) {
        RenderConfig base = RenderConfig.empty();
        if (configFile != null) {
            try {
                base = ObjectMapper.getDefault().readValue(Files.readString(configFile), RenderConfig.class);
            } catch (IOException | RuntimeException e) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, "--config " + configFile + ": " + e.getMessage());
            }
        }
        Map<String, Object> variables = null;
        if (!vars.isEmpty()) {
            variables = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : vars.entrySet()) {
                variables.put(e.getKey(), parseValue(e.getValue()));
            }
        }
        String fmt = format != null ? format : (base.format() == null ? defaultFormat : null);
        return base.merge(RenderConfig.builder().fps(fps).width(width).height(height).format(fmt).codec(codec)
                .quality(quality).crf(crf).bitrate(bitrate).chunkSize(chunkSize).maxParallelChunks(maxParallelChunks)
                .entryFile(entryFile).variables(variables).allowRemoteAssets(allowNetwork)
                .allowMissingMedia(allowMissingMedia).fontPolicy(fontPolicy).build());
    }

    /** Rules of the flags themselves, which the config cannot check (a {@code --var} without a name). */
    List<ConfigViolation> flagViolations() {
        List<ConfigViolation> v = new ArrayList<>();
        for (String key : vars.keySet()) {
            if (key.isBlank() || !key.strip().equals(key)) {
                v.add(new ConfigViolation("--var", "\"" + key + "=" + vars.get(key) + "\"",
                        "KEY=VALUE with a non-empty KEY without surrounding spaces, e.g. --var title=Hello"));
            }
        }
        return v;
    }

    private static Object parseValue(String v) {
        try {
            return ObjectMapper.getDefault().readValue(v, Object.class);
        } catch (IOException | RuntimeException e) {
            return v;
        }
    }
}
