package dev.hfr.storage.testing;

import dev.hfr.storage.StorageConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The LocalStack on {@code 127.0.0.1:4566} for integration tests, one per JVM.
 *
 * <p>{@link #require()} reuses an instance whose health endpoint answers, otherwise runs
 * {@code scripts/localstack.sh start} (repo root from system property {@code hfr.repo.root} or env
 * {@code HFR_REPO_ROOT}). If LocalStack cannot be started it throws: a CI run must fail, not silently skip.
 * The instance is left running for the next test JVM; {@code scripts/localstack.sh stop} ends it.
 *
 * <p>{@link #sqs()} and {@link #sfn()} need {@code software.amazon.awssdk:sqs} / {@code sfn} on the caller's
 * classpath (optional dependencies of hfr-storage).
 */
public final class LocalStack {

    /**
     * {@code http://127.0.0.1:4566}; env {@code HFR_LOCALSTACK_PORT} (also read by the script) moves it, which
     * is only for trying the start-up path next to an instance other tests are using.
     */
    public static final URI ENDPOINT = URI.create("http://127.0.0.1:" + port());
    public static final Region REGION = Region.US_EAST_1;
    /** Start (including a first-time venv install of about 90 s) plus the script's own 90 s readiness wait. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /** How long a reused instance may take until a service answers its first call (7–12 s measured, loaded). */
    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(90);

    private static LocalStack instance;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final StaticCredentialsProvider credentials =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    private final S3Client s3;
    private volatile Object sqs;
    private volatile Object sfn;

    private LocalStack() {
        s3 = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .endpointOverride(ENDPOINT).region(REGION).credentialsProvider(credentials)
                .forcePathStyle(true)
                .build();
    }

    /** The shared instance; starts LocalStack if nothing answers. Throws IllegalStateException if it cannot. */
    public static synchronized LocalStack require() {
        if (instance != null) {
            return instance;
        }
        if (!healthAnswers()) {
            runStartScript();
        }
        LocalStack ls = new LocalStack();
        awaitCall("S3", () -> ls.s3.listBuckets());
        instance = ls;
        return ls;
    }

    public URI endpoint() {
        return ENDPOINT;
    }

    public S3Client s3() {
        return s3;
    }

    public SqsClient sqs() {
        Object c = sqs;
        if (c == null) {
            synchronized (this) {
                if (sqs == null) {
                    SqsClient client = SqsClient.builder()
                            .httpClientBuilder(ApacheHttpClient.builder())
                            .endpointOverride(ENDPOINT).region(REGION).credentialsProvider(credentials).build();
                    awaitCall("SQS", client::listQueues);
                    sqs = client;
                }
                c = sqs;
            }
        }
        return (SqsClient) c;
    }

    public SfnClient sfn() {
        Object c = sfn;
        if (c == null) {
            synchronized (this) {
                if (sfn == null) {
                    SfnClient client = SfnClient.builder()
                            .httpClientBuilder(ApacheHttpClient.builder())
                            .endpointOverride(ENDPOINT).region(REGION).credentialsProvider(credentials).build();
                    awaitCall("Step Functions", client::listStateMachines);
                    sfn = client;
                }
                c = sfn;
            }
        }
        return (SfnClient) c;
    }

    /** A config pointing at this LocalStack (path style, us-east-1) that only allows {@code allowedBucket}. */
    public StorageConfig storageConfig(String allowedBucket) {
        return new StorageConfig(ENDPOINT, REGION.id(), true, allowedBucket);
    }

    /** Creates a bucket with a name unique to this call, {@code <prefix>-<n>-<random>}, and returns the name. */
    public String createBucket(String prefix) {
        String clean = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (clean.isEmpty()) {
            clean = "hfr-test";
        }
        String suffix = "-" + BUCKETS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String name = (clean.length() + suffix.length() > 63 ? clean.substring(0, 63 - suffix.length()) : clean) + suffix;
        if (name.length() < 3) {
            name = "b" + name;
        }
        String bucket = name;
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    // ------------------------------------------------------------------------------------------------ start-up

    private static int port() {
        String p = System.getenv("HFR_LOCALSTACK_PORT");
        return p == null || p.isBlank() ? 4566 : Integer.parseInt(p.trim());
    }

    static boolean healthAnswers() {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest req = HttpRequest.newBuilder(ENDPOINT.resolve("/_localstack/health"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking LocalStack health", e);
        }
    }

    private static Path repoRoot() {
        String root = System.getProperty("hfr.repo.root");
        if (root == null || root.isBlank()) {
            root = System.getenv("HFR_REPO_ROOT");
        }
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("LocalStack is not running on " + ENDPOINT + " and neither the system property "
                    + "hfr.repo.root nor HFR_REPO_ROOT says where scripts/localstack.sh is");
        }
        Path script = Path.of(root, "scripts", "localstack.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("LocalStack is not running and " + script + " does not exist (hfr.repo.root=" + root + ")");
        }
        return Path.of(root);
    }

    /** Start-up command, separate from running it so it can be read in a test. */
    static List<String> startCommand(Path repoRoot) {
        return List.of("bash", repoRoot.resolve("scripts/localstack.sh").toString(), "start");
    }

    private static void runStartScript() {
        Path root = repoRoot();
        Path out;
        try {
            out = Files.createTempFile("hfr-localstack-start-", ".log");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a log file for scripts/localstack.sh: " + e, e);
        }
        try {
            Process p = new ProcessBuilder(startCommand(root))
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("scripts/localstack.sh start did not finish within " + START_TIMEOUT
                        + ":\n" + tail(out));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("scripts/localstack.sh start failed (exit " + p.exitValue() + "):\n" + tail(out));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/localstack.sh start: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting LocalStack", e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // A temp log file.
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Polls one call until it succeeds: services load lazily and answer seconds after health does. */
    private static void awaitCall(String service, Supplier<?> call) {
        long deadline = System.nanoTime() + SERVICE_READY_TIMEOUT.toNanos();
        RuntimeException last;
        do {
            try {
                call.get();
                return;
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(250); // poll interval, bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for LocalStack " + service, e);
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("LocalStack " + service + " did not answer within " + SERVICE_READY_TIMEOUT + ": " + last, last);
    }
}
