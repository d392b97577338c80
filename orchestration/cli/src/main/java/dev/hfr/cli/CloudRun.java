package dev.hfr.cli;

import dev.hfr.engine.assemble.LocalOutput;
import dev.hfr.engine.progress.ProgressStore;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import dev.hfr.model.Webhook;
import dev.hfr.model.WorkflowInput;
import dev.hfr.sqs.RenderRequests;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.archive.ProjectArchive;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One stack's side of {@code hf cloud render}: pack and upload a project content-addressed, start a render in
 * the stack's mode, cancel it, download its output. Thread-safe (render-batch shares one across renders).
 */
final class CloudRun implements AutoCloseable {
    final StackInfo stack;
    final StackInfo.Mode mode;
    final RoutingStorage storage;
    private SfnClient sfn;
    private SqsClient sqs;

    CloudRun(StackInfo stack, StackInfo.Mode mode) {
        this.stack = stack;
        this.mode = mode;
        this.storage = Cli.storageFor(stack.bucket());
        // fail now, naming the output the mode needs, rather than after the upload
        if (mode == StackInfo.Mode.STEPFUNCTIONS) {
            stack.stateMachineArn();
        } else {
            stack.requestQueueUrl();
        }
    }

    synchronized SfnClient sfn() {
        if (sfn == null) {
            sfn = SfnClient.create();
        }
        return sfn;
    }

    private synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = SqsClient.create();
        }
        return sqs;
    }

    /** The packed project: its bytes on disk and their sha256. */
    record Packed(Path file, String sha256, long size) {
    }

    /**
     * A directory packed as {@link ProjectArchive#pack} does (sorted entries, mtime 0, fixed owners and modes,
     * gzip header without a time), so the same tree gives the same bytes; a {@code .tar.gz} is taken as it is.
     */
    static Packed pack(Path project, Path tmpDir) {
        if (!Files.exists(project)) {
            throw new RenderException(ErrorCode.PROJECT_NOT_FOUND, "project " + project + " does not exist");
        }
        try {
            Path file = Files.createTempFile(tmpDir, "hf-project-", ".tar.gz");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
                if (Files.isDirectory(project)) {
                    ProjectArchive.pack(project, out);
                } else if (project.getFileName().toString().endsWith(".tar.gz") || project.getFileName().toString().endsWith(".tgz")) {
                    Files.copy(project, out);
                } else {
                    throw new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID, "project " + project
                            + ": expected a directory or a .tar.gz archive");
                }
            }
            return new Packed(file, HexFormat.of().formatHex(sha.digest()), Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("packing " + project, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the upload went and whether it was needed. */
    record Upload(String uri, boolean uploaded, long size) {
    }

    /** Uploads to {@code projects/<sha256>.tar.gz} unless that object already exists (HEAD first). */
    Upload upload(Packed p) {
        String prefix = storage.config().projectPrefixes().getFirst();
        StorageUri uri = StorageUri.parse("s3://" + stack.bucket() + "/" + prefix + p.sha256() + ".tar.gz");
        if (storage.exists(uri)) {
            return new Upload(uri.toString(), false, p.size());
        }
        storage.upload(p.file(), uri);
        return new Upload(uri.toString(), true, p.size());
    }

    /** A started render: its id, prefix, output object and, under Step Functions, its execution. */
    record Started(String renderId, String prefix, String outputUri, @Nullable String executionArn) {
        RenderTarget target() {
            return new RenderTarget(renderId, prefix, executionArn, renderId);
        }
    }

    /** Starts the render in the stack's mode: StartExecution with the workflow input, or one SQS message. */
    Started start(String projectUri, RenderConfig config, @Nullable Webhook webhook) {
        String id = RenderRequests.newRenderId();
        String bucket = stack.bucket();
        String prefix = "s3://" + bucket + "/renders/" + id + "/";
        String outputPrefix = storage.config().outputPrefixes().getFirst();
        String output = "s3://" + bucket + "/" + outputPrefix + id + config.outputFormat().extension();
        WorkflowInput in = new WorkflowInput(projectUri, prefix, output, config, id, null, webhook);
        if (mode == StackInfo.Mode.STEPFUNCTIONS) {
            String json;
            try {
                json = ObjectMapper.getDefault().writeValueAsString(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String arn = sfn().startExecution(b -> b.stateMachineArn(stack.stateMachineArn()).name(id).input(json)).executionArn();
            return new Started(id, prefix, output, arn);
        }
        RenderRequests.send(sqs(), stack.requestQueueUrl(), in);
        return new Started(id, prefix, output, null);
    }

    /** Cancels as {@code hf cancel} does; true when the cancel took effect (the assemble had not started). */
    boolean cancel(Started s) {
        String by = "hf cloud render (" + Cli.userName() + ")";
        ProgressDocument after = new ProgressStore(storage).requestCancel(s.prefix(), s.renderId(), by);
        if (after.status() != ProgressDocument.Status.CANCELLED) {
            return false;
        }
        if (s.executionArn() != null
                && sfn().describeExecution(b -> b.executionArn(s.executionArn())).status() == ExecutionStatus.RUNNING) {
            sfn().stopExecution(b -> b.executionArn(s.executionArn()).error("CANCELLED").cause(by));
        }
        return true;
    }

    /**
     * Refuses {@code out} before anything starts, with {@code hf render}'s rules (never the current folder,
     * the project, an ancestor, a file inside the project, a folder where a video goes), and its format.
     */
    static void checkOutput(Path out, OutputFormat format, Path project) {
        LocalOutput.check(out, format, List.of(project));
    }

    /** Downloads the output next to {@code out} and moves it into place, so {@code out} is never partial. */
    void download(String outputUri, Path out) {
        Path abs = out.toAbsolutePath().normalize();
        try {
            Path dir = abs.getParent();
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".part");
            try {
                storage.download(StorageUri.parse(outputUri), part);
                Files.move(part, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("downloading " + outputUri + " to " + out, e);
        }
    }

    /** Removes a temporary folder of ours and everything in it. */
    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("hf: could not remove " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (sfn != null) {
            sfn.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        storage.close();
    }
}
