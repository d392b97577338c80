package dev.hfr.model;

import java.util.Locale;
import java.util.Map;

/**
 * The one table of file-name extension to MIME type: the compiler labels resolved assets with it and the
 * site server sends it (adding {@code charset=utf-8} to text types, see {@link #forHttp(String)}).
 */
public final class MediaTypes {
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"), Map.entry("mjs", "text/javascript"), Map.entry("txt", "text/plain"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("lottie", "application/json"), Map.entry("xml", "application/xml"),
            Map.entry("wasm", "application/wasm"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"), Map.entry("ico", "image/x-icon"),
            Map.entry("bmp", "image/bmp"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"), Map.entry("otf", "font/otf"), Map.entry("eot", "application/vnd.ms-fontobject"),
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("mov", "video/quicktime"), Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"),
            Map.entry("aac", "audio/aac"), Map.entry("wav", "audio/wav"), Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"), Map.entry("opus", "audio/ogg"), Map.entry("flac", "audio/flac"),
            Map.entry("glb", "model/gltf-binary"), Map.entry("gltf", "model/gltf+json"));

    private MediaTypes() {
    }

    /** The MIME type of a file name by its extension (case-insensitive); application/octet-stream when unknown. */
    public static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, OCTET_STREAM);
    }

    /** {@link #of(String)} as a Content-Type header: text types say their charset (UTF-8). */
    public static String forHttp(String fileName) {
        String type = of(fileName);
        return type.startsWith("text/") ? type + "; charset=utf-8" : type;
    }
}
