package dev.hfr.function.runtime;

import dev.hfr.engine.Engine;
import dev.hfr.engine.HfrSettings;
import io.micronaut.context.ApplicationContext;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.util.Map;

/**
 * Everything a container does once: read the settings from the environment (the Lambda composition root), unpack
 * Chromium when {@code HFR_CHROME_SOURCE=sparticuz}, unpack the gzipped ffmpeg/ffprobe of the ffmpeg layer into
 * /tmp/bin, start the Micronaut context with the settings as a bean and build the Engine. Lambda keeps one handler instance per container,
 * but the state is static so a second handler class in the same JVM (tests, the benchmark) shares it.
 *
 * <p>SnapStart (java21): all of this runs before the snapshot. No browser is started and no connection is
 * opened here, so the snapshot holds no process or socket. The unpacked browser in /tmp travels with the
 * snapshot (ephemeral storage must stay at 512 MB for SnapStart; the unpacked files take about 221 MB);
 * the SnapStart hook's {@code afterRestore} re-checks both and unpacks again if /tmp came back empty.
 */
public final class ColdStart {
    /** The system property Playwright's DriverJar reads for where to extract its driver. */
    public static final String PLAYWRIGHT_DRIVER_TMPDIR = "playwright.driver.tmpdir";

    private static volatile ColdStart current;

    private final ApplicationContext context;
    private final Engine engine;
    private final ChromiumInstall chromium;
    private final FfmpegLayer ffmpeg;
    private final HfrSettings settings;
    private final Map<String, String> environment;
    private final Timings timings;
    private final Resource snapStartHook;

    /**
     * How long each part of the cold start took. {@code chromiumMillis} is -1 when no unpacking was asked for,
     * {@code ffmpegMillis} -1 when no compressed ffmpeg layer was found.
     */
    public record Timings(long chromiumMillis, boolean chromiumAlreadyUnpacked, long ffmpegMillis,
                          boolean ffmpegAlreadyUnpacked, long contextMillis, long engineMillis, long totalMillis) {
    }

    private ColdStart(Map<String, String> env) {
        long t0 = System.nanoTime();
        this.environment = Map.copyOf(env);
        long chromiumMillis = -1;
        boolean already = false;
        ChromiumInstall browser = null;
        if (SparticuzChromium.selected(env)) {
            SparticuzChromium.Unpacked u = SparticuzChromium.installFromEnvironment(env);
            browser = u.install();
            chromiumMillis = u.durationMillis();
            already = u.alreadyUnpacked();
            pointPlaywrightDriverAtWritableDir(env);
        }
        this.chromium = browser;
        FfmpegLayer tools = FfmpegLayer.installFromEnvironment(env);
        this.ffmpeg = tools;
        this.settings = settings(env, browser, tools);
        long t1 = System.nanoTime();
        this.context = ApplicationContext.builder().deduceEnvironment(false).singletons(settings).start();
        long t2 = System.nanoTime();
        this.engine = context.getBean(Engine.class);
        long t3 = System.nanoTime();
        this.timings = new Timings(chromiumMillis, already, tools == null ? -1 : tools.durationMillis(),
                tools != null && tools.alreadyUnpacked(), millis(t1, t2), millis(t2, t3), millis(t0, t3));
        this.snapStartHook = new SnapStartHook(env);
        // CRaC keeps only weak references to resources: this object (held by a static field) keeps it alive.
        Core.getGlobalContext().register(snapStartHook);
    }

    /**
     * The container's settings: {@link HfrSettings#from} over the environment, with what the cold start unpacked
     * into /tmp in place of the lookups (the {@code @sparticuz/chromium} browser with its environment: NSS
     * library path, fonts.conf, HOME; the ffmpeg layer's ffmpeg/ffprobe). {@code EngineFactory} builds the
     * engine from them; nothing is handed over through system properties.
     */
    static HfrSettings settings(Map<String, String> env, ChromiumInstall browser, FfmpegLayer tools) {
        HfrSettings s = HfrSettings.from(env::get, System::getProperty);
        if (browser != null) {
            s = s.withBrowser(s.browser().withExecutable(browser.executable()).withExtraEnv(browser.env()));
        }
        if (tools != null) {
            s = s.withFfmpeg(tools.ffmpeg(), tools.ffprobe());
        }
        return s;
    }

    /**
     * Playwright's {@code DriverJar} copies its Node (about 126 MB) and JS package out of the driver-bundle jar
     * on the first browser start, into {@code playwright.driver.tmpdir}, else a new {@code java.io.tmpdir}
     * directory (read from the 1.62.0 bytecode). On Lambda only /tmp is writable: pin it next to the unpacked
     * browser unless someone set it already.
     */
    static void pointPlaywrightDriverAtWritableDir(Map<String, String> env) {
        if (System.getProperty(PLAYWRIGHT_DRIVER_TMPDIR) == null) {
            System.setProperty(PLAYWRIGHT_DRIVER_TMPDIR,
                    env.getOrDefault(SparticuzChromium.ROOT_ENV, SparticuzChromium.DEFAULT_ROOT));
        }
    }

    /** A cold start against an explicit environment (tests, the benchmark); production uses {@link #get()}. */
    static ColdStart start(Map<String, String> env) {
        return new ColdStart(env);
    }

    /** Closes the Micronaut context (tests; a Lambda container just ends). */
    void close() {
        context.close();
    }

    /** The container's cold-start state, created on first use. */
    public static ColdStart get() {
        ColdStart c = current;
        if (c == null) {
            synchronized (ColdStart.class) {
                c = current;
                if (c == null) {
                    c = new ColdStart(System.getenv());
                    current = c;
                }
            }
        }
        return c;
    }

    public ApplicationContext context() {
        return context;
    }

    public Engine engine() {
        return engine;
    }

    /**
     * The container's environment as the cold start read it, for what the engine's settings do not cover (the SQS
     * mode's handlers take their queue URLs from it).
     */
    public Map<String, String> environment() {
        return environment;
    }

    /** The settings the engine was built from (also a bean of {@link #context()}). */
    public HfrSettings settings() {
        return settings;
    }

    /** The unpacked Chromium, or null when {@code HFR_CHROME_SOURCE} is not {@code sparticuz}. */
    public ChromiumInstall chromium() {
        return chromium;
    }

    /** The unpacked ffmpeg/ffprobe, or null when no compressed ffmpeg layer was found (then PATH is used). */
    public FfmpegLayer ffmpeg() {
        return ffmpeg;
    }

    public Timings timings() {
        return timings;
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /** SnapStart hooks: nothing to close before the snapshot; make sure the browser files exist after restore. */
    private static final class SnapStartHook implements Resource {
        private final Map<String, String> env;

        SnapStartHook(Map<String, String> env) {
            this.env = Map.copyOf(env);
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            // Nothing to release: the cold start opens no socket and starts no browser; steps do that per event.
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            // the same paths as before the snapshot (the settings hold them): unpack again if /tmp came back empty
            if (SparticuzChromium.selected(env)) {
                SparticuzChromium.installFromEnvironment(env);
            }
            FfmpegLayer.installFromEnvironment(env);
        }
    }
}
