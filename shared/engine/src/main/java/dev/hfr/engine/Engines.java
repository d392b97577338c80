package dev.hfr.engine;

/** Builds the production {@link Engine} from the environment (storage, browser, ffmpeg, asset cache). */
public final class Engines {
    private Engines() {
    }

    /** TEMPORARY until the services land: the real wiring replaces this body. */
    public static Engine fromEnvironment() {
        throw new UnsupportedOperationException("engine services not wired yet");
    }
}
