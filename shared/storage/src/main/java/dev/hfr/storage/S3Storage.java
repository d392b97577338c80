package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * {@link Storage} over one AWS SDK v2 {@link S3Client}.
 *
 * <p>Multipart uploads are completed with part number and ETag only: passing the parts' CRC32 back without
 * creating the upload with a checksum algorithm is rejected by LocalStack (localstack-notes.md §3).
 */
public final class S3Storage implements Storage, AutoCloseable {

    /** Files larger than this are uploaded in parts. */
    public static final long MULTIPART_THRESHOLD_BYTES = 16L * 1024 * 1024;
    /** Part size of multipart uploads (S3's minimum is 5 MiB for every part but the last). */
    public static final int PART_SIZE_BYTES = 8 * 1024 * 1024;
    /** S3 answers 409 when two conditional writes race; the loser retries and then sees 412. */
    private static final int CONDITIONAL_CONFLICT_ATTEMPTS = 5;

    private final S3Client s3;

    public S3Storage(S3Client s3) {
        this.s3 = Objects.requireNonNull(s3);
    }

    /**
     * Builds a client from {@code config}. Credentials come from the default AWS chain; when an endpoint is
     * overridden and no access key is set in the environment or system properties, {@code test/test} is used,
     * which is what LocalStack expects and avoids the slow instance-metadata lookup off AWS.
     */
    public static S3Storage create(StorageConfig config) {
        return new S3Storage(client(config));
    }

    /** The client {@link #create} uses; exposed so callers can share it (one connection pool per process). */
    public static S3Client client(StorageConfig config) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .region(Region.of(config.region()))
                .forcePathStyle(config.forcePathStyle() || config.endpoint() != null)
                .credentialsProvider(credentials(config));
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint());
        }
        return b.build();
    }

    private static AwsCredentialsProvider credentials(StorageConfig config) {
        boolean keyConfigured = notBlank(System.getenv("AWS_ACCESS_KEY_ID")) || notBlank(System.getProperty("aws.accessKeyId"))
                || notBlank(System.getenv("AWS_PROFILE")) || notBlank(System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
                || notBlank(System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));
        if (config.endpoint() != null && !keyConfigured) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    public S3Client client() {
        return s3;
    }

    @Override
    public boolean exists(StorageUri uri) {
        requireS3(uri);
        try {
            s3.headObject(r -> r.bucket(uri.bucket()).key(uri.key()));
            return true;
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return false;
            }
            throw error("head", uri, e);
        }
    }

    @Override
    public long size(StorageUri uri) {
        requireS3(uri);
        try {
            return s3.headObject(r -> r.bucket(uri.bucket()).key(uri.key())).contentLength();
        } catch (SdkException e) {
            throw map("head", uri, e);
        }
    }

    @Override
    public byte[] read(StorageUri uri) {
        requireS3(uri);
        try {
            return s3.getObjectAsBytes(r -> r.bucket(uri.bucket()).key(uri.key())).asByteArray();
        } catch (SdkException e) {
            throw map("get", uri, e);
        }
    }

    @Override
    public InputStream open(StorageUri uri) {
        requireS3(uri);
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(uri.bucket()).key(uri.key()));
            return in;
        } catch (SdkException e) {
            throw map("get", uri, e);
        }
    }

    @Override
    public void download(StorageUri uri, Path target) {
        requireS3(uri);
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempFile(abs.getParent(), LocalStorage.TEMP_PREFIX + abs.getFileName() + "-", ".tmp");
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(uri.bucket()).key(uri.key()))) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (SdkException e) {
            throw map("download", uri, e);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "download " + uri + " to " + target + " failed: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: a hidden temp file is harmless.
                }
            }
        }
    }

    @Override
    public void write(StorageUri uri, byte[] bytes) {
        requireS3(uri);
        try {
            s3.putObject(r -> r.bucket(uri.bucket()).key(uri.key()), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw map("put", uri, e);
        }
    }

    @Override
    public void upload(Path source, StorageUri uri) {
        upload(source, uri, false);
    }

    @Override
    public boolean uploadIfAbsent(Path source, StorageUri uri) {
        return upload(source, uri, true);
    }

    /** Uploads; with {@code ifAbsent} the put (or the multipart completion) carries If-None-Match: *. */
    private boolean upload(Path source, StorageUri uri, boolean ifAbsent) {
        requireS3(uri);
        long sizeBytes;
        try {
            sizeBytes = Files.size(source);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "upload to " + uri + ": cannot read source file " + source + ": " + e, e);
        }
        if (sizeBytes <= MULTIPART_THRESHOLD_BYTES) {
            for (int attempt = 1; ; attempt++) {
                try {
                    s3.putObject(r -> {
                        r.bucket(uri.bucket()).key(uri.key());
                        if (ifAbsent) {
                            r.ifNoneMatch("*");
                        }
                    }, RequestBody.fromFile(source));
                    return true;
                } catch (S3Exception e) {
                    if (ifAbsent && e.statusCode() == 412) {
                        return false;
                    }
                    if (ifAbsent && e.statusCode() == 409 && attempt < CONDITIONAL_CONFLICT_ATTEMPTS) {
                        backOff(attempt);
                        continue;
                    }
                    throw map(ifAbsent ? "conditional put" : "put", uri, e);
                } catch (SdkException e) {
                    throw map(ifAbsent ? "conditional put" : "put", uri, e);
                }
            }
        }
        return uploadMultipart(source, sizeBytes, uri, ifAbsent);
    }

    private boolean uploadMultipart(Path source, long sizeBytes, StorageUri uri, boolean ifAbsent) {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(r -> r.bucket(uri.bucket()).key(uri.key())).uploadId();
        } catch (SdkException e) {
            throw map("create multipart upload", uri, e);
        }
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
            List<CompletedPart> parts = new ArrayList<>();
            ByteBuffer buf = ByteBuffer.allocate(PART_SIZE_BYTES);
            int partNumber = 1;
            for (long offset = 0; offset < sizeBytes; offset += PART_SIZE_BYTES, partNumber++) {
                buf.clear();
                int want = (int) Math.min(PART_SIZE_BYTES, sizeBytes - offset);
                buf.limit(want);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, offset + buf.position()) < 0) {
                        throw new IOException("file shrank while uploading: " + source);
                    }
                }
                buf.flip();
                int pn = partNumber;
                String eTag = s3.uploadPart(r -> r.bucket(uri.bucket()).key(uri.key()).uploadId(uploadId).partNumber(pn),
                        RequestBody.fromByteBuffer(buf)).eTag();
                parts.add(CompletedPart.builder().partNumber(pn).eTag(eTag).build());
            }
            s3.completeMultipartUpload(r -> {
                r.bucket(uri.bucket()).key(uri.key()).uploadId(uploadId).multipartUpload(m -> m.parts(parts));
                if (ifAbsent) {
                    r.ifNoneMatch("*");
                }
            });
            return true;
        } catch (IOException | RuntimeException e) {
            abortQuietly(uri, uploadId);
            if (ifAbsent && e instanceof S3Exception se && se.statusCode() == 412) {
                return false;
            }
            if (e instanceof SdkException se) {
                throw map("multipart upload", uri, se);
            }
            if (e instanceof RenderException re) {
                throw re;
            }
            throw new RenderException(ErrorCode.STORAGE_ERROR, "multipart upload of " + source + " to " + uri + " failed: " + e, e);
        }
    }

    private void abortQuietly(StorageUri uri, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(uri.bucket()).key(uri.key()).uploadId(uploadId));
        } catch (SdkException ignored) {
            // The original failure matters more; a lifecycle rule cleans abandoned uploads.
        }
    }

    @Override
    public boolean writeIfAbsent(StorageUri uri, byte[] bytes) {
        requireS3(uri);
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(r -> r.bucket(uri.bucket()).key(uri.key()).ifNoneMatch("*"), RequestBody.fromBytes(bytes));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return false;
                }
                if (e.statusCode() == 409 && attempt < CONDITIONAL_CONFLICT_ATTEMPTS) {
                    backOff(attempt);
                    continue;
                }
                throw map("conditional put", uri, e);
            } catch (SdkException e) {
                throw map("conditional put", uri, e);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(50L * attempt); // retry backoff for a conflicting concurrent write, not a wait for state
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException(ErrorCode.INTERRUPTED, "interrupted while retrying a conditional put", e);
        }
    }

    @Override
    public List<StorageUri> list(StorageUri prefix) {
        requireS3(prefix);
        String keyPrefix = prefix.key().isEmpty() ? "" : prefix.key() + "/";
        try {
            List<StorageUri> out = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(prefix.bucket()).prefix(keyPrefix)).contents()) {
                out.add(new StorageUri("s3", prefix.bucket(), o.key()));
            }
            out.sort(Comparator.comparing(StorageUri::key));
            return out;
        } catch (SdkException e) {
            throw error("list", prefix, e);
        }
    }

    @Override
    public void delete(StorageUri uri) {
        requireS3(uri);
        try {
            s3.deleteObject(r -> r.bucket(uri.bucket()).key(uri.key()));
        } catch (SdkException e) {
            if (isNotFound(e) && !isNoSuchBucket(e)) {
                return;
            }
            throw error("delete", uri, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private static void requireS3(StorageUri uri) {
        if (!uri.isS3()) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, "S3Storage was given a local path: " + uri);
        }
    }

    private static boolean isNotFound(SdkException e) {
        return e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404);
    }

    private static boolean isNoSuchBucket(SdkException e) {
        return e instanceof S3Exception s && s.awsErrorDetails() != null && "NoSuchBucket".equals(s.awsErrorDetails().errorCode());
    }

    /** A missing key becomes StorageNotFoundException; a missing bucket stays a STORAGE_ERROR that says so. */
    private static RenderException map(String op, StorageUri uri, SdkException e) {
        if (isNotFound(e) && !isNoSuchBucket(e)) {
            return new StorageNotFoundException(uri);
        }
        return error(op, uri, e);
    }

    private static RenderException error(String op, StorageUri uri, SdkException e) {
        String detail = isNoSuchBucket(e) ? "bucket " + uri.bucket() + " does not exist" : e.getMessage();
        return new RenderException(ErrorCode.STORAGE_ERROR, "S3 " + op + " " + uri + " failed: " + detail, e);
    }
}
