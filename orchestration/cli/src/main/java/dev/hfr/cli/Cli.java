package dev.hfr.cli;

import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.HfrSettings;
import dev.hfr.sqs.SqsQueues;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.Storage;
import dev.hfr.storage.StorageConfig;

/**
 * The {@code hf} composition root: the one class of the command line that reads the environment. The settings are
 * read once per process ({@link HfrSettings#fromEnvironment()}); every command takes its engine, storage and
 * queues from here.
 */
final class Cli {
    /** Env var that, when set, makes hf print stack traces of internal errors and interrupt timings. */
    static final String DEBUG_ENV = "HFR_DEBUG";

    private static volatile HfrSettings settings;

    private Cli() {
    }

    static HfrSettings settings() {
        HfrSettings s = settings;
        if (s == null) {
            synchronized (Cli.class) {
                s = settings;
                if (s == null) {
                    s = HfrSettings.fromEnvironment();
                    settings = s;
                }
            }
        }
        return s;
    }

    static EngineOptions engineOptions() {
        return settings().engineOptions();
    }

    /** Storage over the settings' S3 configuration (local paths need none). */
    static Storage storage() {
        return new RoutingStorage(settings().storage());
    }

    /** The SQS mode's queues from HFR_REQUEST_QUEUE_URL, HFR_CHUNK_QUEUE_URL and HFR_ASSEMBLE_QUEUE_URL. */
    static SqsQueues queues() {
        return SqsQueues.fromMap(System.getenv());
    }

    static boolean debug() {
        return System.getenv(DEBUG_ENV) != null;
    }

    /** {@code HFR_WEBHOOK_SECRET}: the webhook secret of {@code hf cloud render} when --webhook-secret is not given. */
    static String webhookSecret() {
        return System.getenv("HFR_WEBHOOK_SECRET");
    }

    /** Who the user is, for the record a cancel leaves. */
    static String userName() {
        return System.getProperty("user.name", "?");
    }

    /** The engine options with another storage (a stack's render bucket). */
    static EngineOptions engineOptions(Storage storage) {
        return engineOptions().withStorage(storage);
    }

    /**
     * Storage over the environment's S3 configuration, limited to the stack's render bucket unless
     * HFR_RENDER_BUCKET names one itself.
     */
    static RoutingStorage storageFor(String renderBucket) {
        return new RoutingStorage(StorageConfig.fromEnv(k -> {
            String v = System.getenv(k);
            return k.equals("HFR_RENDER_BUCKET") && (v == null || v.isBlank()) ? renderBucket : v;
        }));
    }
}
