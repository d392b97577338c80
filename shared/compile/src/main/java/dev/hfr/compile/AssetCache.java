package dev.hfr.compile;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Where the offline asset cache lives; see {@link AssetResolver} for its layout. */
public final class AssetCache {
    private AssetCache() {
    }

    /** See {@link AssetResolver#defaultCacheDir(UnaryOperator, UnaryOperator)}. */
    public static Path defaultDir(UnaryOperator<String> env, UnaryOperator<String> property) {
        return AssetResolver.defaultCacheDir(env, property);
    }
}
