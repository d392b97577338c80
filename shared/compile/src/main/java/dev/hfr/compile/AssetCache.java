package dev.hfr.compile;

import java.nio.file.Path;

/** Where the offline asset cache lives; see {@link AssetResolver} for its layout. */
public final class AssetCache {
    private AssetCache() {
    }

    /**
     * env HFR_ASSET_CACHE, else {@code <repo>/.cache/assets} when the repo root is known (env
     * HFR_REPO_ROOT or system property hfr.repo.root), else {@code ~/.cache/hfr/assets}.
     */
    public static Path defaultDir() {
        return AssetResolver.defaultCacheDir();
    }
}
