package dev.hfr.compile;

import java.nio.file.Path;

/**
 * One URL resolved to a local file.
 *
 * @param url the URL as referenced
 * @param file the local file holding its bytes (inside the asset cache, or a generated file)
 * @param contentType MIME type guessed from the file name
 * @param source {@code "cache"} when it came from the offline cache, {@code "network"} when downloaded
 */
public record ResolvedAsset(String url, Path file, String contentType, String source) {
    public static final String SOURCE_CACHE = "cache";
    public static final String SOURCE_NETWORK = "network";
}
