package dev.hfr.function.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An unpacked Chromium ready to launch: the executable and the environment its process needs (on Lambda:
 * {@code LD_LIBRARY_PATH} for the bundled NSS, {@code FONTCONFIG_PATH} for the bundled fonts, {@code HOME}).
 *
 * <p>The browser module reads env {@code HFR_CHROMIUM_PATH}, which a running JVM cannot set for itself, so
 * {@link #publish()} hands the same facts over as system properties: {@value #PATH_PROPERTY} and one
 * {@value #ENV_PROPERTY_PREFIX}{@code NAME} property per variable.
 */
public record ChromiumInstall(Path executable, Map<String, String> env) {
    public static final String PATH_PROPERTY = "hfr.chromium.path";
    public static final String ENV_PROPERTY_PREFIX = "hfr.chromium.env.";

    public ChromiumInstall {
        env = Map.copyOf(env);
    }

    /** Sets {@value #PATH_PROPERTY} and {@value #ENV_PROPERTY_PREFIX}{@code *} for the browser module. */
    public ChromiumInstall publish() {
        System.setProperty(PATH_PROPERTY, executable.toString());
        env.forEach((k, v) -> System.setProperty(ENV_PROPERTY_PREFIX + k, v));
        return this;
    }

    /** The environment published by {@link #publish()}, read back from system properties (empty when none). */
    public static Map<String, String> publishedEnv() {
        Map<String, String> out = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(n -> n.startsWith(ENV_PROPERTY_PREFIX))
                .sorted()
                .forEach(n -> out.put(n.substring(ENV_PROPERTY_PREFIX.length()), System.getProperty(n)));
        return out;
    }
}
