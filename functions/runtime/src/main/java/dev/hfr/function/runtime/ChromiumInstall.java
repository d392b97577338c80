package dev.hfr.function.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * An unpacked Chromium ready to launch: the executable and the environment its process needs (on Lambda:
 * {@code LD_LIBRARY_PATH} for the bundled NSS, {@code FONTCONFIG_PATH} for the bundled fonts, {@code HOME}).
 * {@link ColdStart} puts both into the settings the engine is built from.
 */
public record ChromiumInstall(Path executable, Map<String, String> env) {

    public ChromiumInstall {
        env = Map.copyOf(env);
    }
}
