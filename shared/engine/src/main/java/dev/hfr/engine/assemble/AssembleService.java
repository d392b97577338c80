package dev.hfr.engine.assemble;

import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.Steps;
import dev.hfr.engine.support.PlanStore;
import dev.hfr.engine.support.Tar;
import dev.hfr.engine.support.WorkDirs;
import dev.hfr.ffmpeg.Assembler;
import dev.hfr.model.AssembleEvent;
import dev.hfr.model.AssembleResult;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.FileTrees;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.PlanManifest;
import dev.hfr.model.RenderException;
import dev.hfr.model.RenderKeys;
import dev.hfr.model.Sha256;
import dev.hfr.model.Step;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.archive.ProjectArchive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The assemble step: verify that the chunk list is complete and is the plan's, concatenate the chunks
 * with stream copy, mux the pre-mixed audio and publish the output atomically: a local output appears
 * by rename, an S3 output by a single PUT or a completed multipart upload, so a reader never sees a
 * partial file. Running it twice publishes the same bytes again (idempotent).
 */
public final class AssembleService implements Steps.Assemble {
    private final EngineOptions options;

    private final boolean stills;

    public AssembleService(EngineOptions options) {
        this(options, true);
    }

    /**
     * @param stills whether to draw the poster and contact sheet into the render prefix for its progress document
     *               (every orchestrated render); a local {@code hf render} has no progress document and skips them
     */
    public AssembleService(EngineOptions options, boolean stills) {
        this.options = options;
        this.stills = stills;
    }

    @Override
    public AssembleResult assemble(AssembleEvent event) {
        long t0 = System.nanoTime();
        if (event.planManifestS3Uri() == null || event.outputS3Uri() == null) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "assemble event needs PlanManifestS3Uri and OutputS3Uri");
        }
        PlanStore store = PlanStore.forManifest(options.storage(), event.planManifestS3Uri());
        store.checkAssembleEvent(event.chunkS3Uris(), event.outputS3Uri());
        PlanManifest plan = store.readManifest(event.planHash());
        OutputFormat format = plan.outputFormat();
        List<String> chunkUris = chunkList(event, plan, store.prefix(), format);
        StorageUri target = StorageUri.parse(event.outputS3Uri());
        OutputPublication publication = target.isS3() ? new OutputPublication(options.storage(), store.prefix(), target) : null;
        if (publication != null) {
            var done = publication.alreadyPublished();
            if (done.isPresent()) {
                return done.get(); // a retried or redelivered assemble: never published twice
            }
        }

        Path work = WorkDirs.create(options.workRoot(), "assemble-");
        try {
            List<Path> local = new ArrayList<>();
            for (int i = 0; i < chunkUris.size(); i++) {
                StorageUri uri = StorageUri.parse(chunkUris.get(i));
                if (!options.storage().exists(uri)) {
                    throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "chunk " + i + " is missing at " + uri
                            + ": every chunk must be rendered before assemble");
                }
                Path f = work.resolve(String.format("chunk-%05d%s", i, format == OutputFormat.PNG_SEQUENCE ? ".tar" : format.extension()));
                options.storage().download(uri, f);
                int chunk = i;
                verifyDigest(event, i, uri, f, () -> recordedDigest(store.prefix(), chunk));
                if (format == OutputFormat.PNG_SEQUENCE) {
                    Path dir = work.resolve(String.format("chunk-%05d", i));
                    Tar.unpack(f, dir);
                    Files.deleteIfExists(f);
                    f = dir;
                }
                local.add(f);
            }
            Path audio = null;
            if (plan.hasAudio()) {
                Path audioDir = work.resolve("plan");
                store.materialize(plan, a -> a.assembler(), audioDir);
                audio = audioDir.resolve(PlanManifest.AUDIO_PATH);
            }
            StorageUri outUri = StorageUri.parse(event.outputS3Uri());
            Path assembled = work.resolve("output" + format.extension());
            Assembler.assemble(options.ffmpeg(), local, audio, format, plan.composition().fps(),
                    plan.composition().totalFrames(), assembled);
            if (stills) {
                writeStills(assembled, plan, store.prefix(), work);
            }
            if (publication != null) {
                Path file = format == OutputFormat.PNG_SEQUENCE ? packFrames(assembled, work) : assembled;
                long millis = (System.nanoTime() - t0) / 1_000_000;
                return publication.publish(file, new AssembleResult(Step.ASSEMBLE.wireName(), outUri.toString(),
                        plan.composition().totalFrames(), Files.size(file), millis));
            }
            long size = publish(assembled, outUri, format, work);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new AssembleResult(Step.ASSEMBLE.wireName(), outUri.toString(), plan.composition().totalFrames(), size, millis);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, e.getMessage(), e);
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    /**
     * The poster and contact sheet of the assembled output, stored in the render's prefix before the output is
     * published (so a published output always has them; a redelivered assemble finds them there). They are for
     * people: a failure to draw them is logged ({@code stills_failed}) and the output is still published.
     */
    private void writeStills(Path assembled, PlanManifest plan, String prefix, Path work) {
        var c = plan.composition();
        Path ffmpeg = options.ffmpeg().ffmpeg();
        try {
            Path poster = Stills.run(Stills.posterArgs(ffmpeg, assembled, c.fps(), c.totalFrames(), work.resolve("poster.png")), "poster");
            Path sheet = Stills.run(Stills.contactSheetArgs(ffmpeg, assembled, c.fps(), c.totalFrames(),
                    work.resolve("contact-sheet.png")), "contact sheet");
            options.storage().upload(poster, StorageUri.parse(RenderKeys.poster(prefix)));
            options.storage().upload(sheet, StorageUri.parse(RenderKeys.contactSheet(prefix)));
        } catch (RenderException e) {
            if (e.code() == ErrorCode.INTERRUPTED) {
                throw e;
            }
            dev.hfr.engine.dispatch.StepLog.warning("stills_failed", e.code().name(), String.valueOf(e.getMessage()));
        }
    }

    /** The digest record the chunk's render-chunk step wrote ({@link RenderKeys#chunkDigest}), or null. */
    private String recordedDigest(String prefix, int index) {
        StorageUri record = StorageUri.parse(RenderKeys.chunkDigest(prefix, index));
        if (!options.storage().exists(record)) {
            return null;
        }
        return new String(options.storage().read(record), java.nio.charset.StandardCharsets.US_ASCII).trim();
    }

    /**
     * A chunk must be the bytes its render-chunk step reported: the event's {@code ChunkSha256s} when it carries
     * them, else the digest record the step wrote beside the chunk (absent for chunks of older versions).
     */
    static void verifyDigest(AssembleEvent event, int index, StorageUri uri, Path file,
                             java.util.function.Supplier<String> recorded) {
        List<String> shas = event.chunkSha256s();
        if (shas == null || shas.isEmpty()) {
            String expected = recorded.get();
            if (expected != null && !expected.isBlank() && !expected.equalsIgnoreCase(Sha256.hex(file))) {
                throw new RenderException(ErrorCode.CHUNK_DIGEST_MISMATCH, "chunk " + index + " at " + uri + " has sha256 "
                        + Sha256.hex(file) + " but its render-chunk step recorded " + expected + ": it was changed or"
                        + " corrupted after it was rendered; render the chunk again");
            }
            return;
        }
        if (shas.size() != (event.chunkS3Uris() == null ? shas.size() : event.chunkS3Uris().size())) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "ChunkSha256s has " + shas.size() + " entries but ChunkS3Uris "
                    + event.chunkS3Uris().size());
        }
        String expected = index < shas.size() ? shas.get(index) : null;
        if (expected == null || expected.isBlank()) {
            return;
        }
        String actual = Sha256.hex(file);
        if (!expected.equalsIgnoreCase(actual)) {
            throw new RenderException(ErrorCode.CHUNK_DIGEST_MISMATCH, "chunk " + index + " at " + uri + " has sha256 "
                    + actual + " but its render-chunk step reported " + expected + ": it was changed or corrupted after"
                    + " it was rendered; render the chunk again");
        }
    }

    /** The event's chunk list must be exactly the plan's keys in order; absent, the plan's keys are used. */
    static List<String> chunkList(AssembleEvent event, PlanManifest plan, String prefix, OutputFormat format) {
        int n = plan.chunks().size();
        List<String> given = event.chunkS3Uris();
        if (given == null || given.isEmpty()) {
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(RenderKeys.chunk(prefix, i, format));
            }
            return out;
        }
        if (given.size() != n) {
            throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "assemble got " + given.size()
                    + " chunk URIs but the plan has " + n + " chunks");
        }
        for (int i = 0; i < n; i++) {
            String uri = given.get(i);
            if (uri == null) {
                throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "chunk " + i + " has no result (it failed or was skipped)");
            }
            String suffix = RenderKeys.chunk("", i, format).substring(1);
            if (!uri.endsWith(suffix)) {
                throw new RenderException(ErrorCode.CHUNKS_INCOMPLETE, "chunk URI #" + i + " is " + uri
                        + " but should end with " + suffix + ": chunks are out of order or from another render");
            }
        }
        return given;
    }

    private long publish(Path assembled, StorageUri out, OutputFormat format, Path work) throws IOException {
        if (!out.isS3()) {
            // the same rule the CLI and the plan step apply: an event cannot make us replace what we did not write
            if (format == OutputFormat.PNG_SEQUENCE) {
                return LocalOutput.publishDirectory(assembled, out.path());
            }
            LocalOutput.check(out.path(), format, List.of());
        }
        if (format != OutputFormat.PNG_SEQUENCE) {
            options.storage().upload(assembled, out);
            return Files.size(assembled);
        }
        Path tgz = packFrames(assembled, work);
        options.storage().upload(tgz, out);
        return Files.size(tgz);
    }

    /** A PNG sequence goes to S3 as one frames.tar.gz. */
    private static Path packFrames(Path frames, Path work) throws IOException {
        Path tgz = work.resolve("frames.tar.gz");
        try (OutputStream os = Files.newOutputStream(tgz)) {
            ProjectArchive.pack(frames, os);
        }
        return tgz;
    }
}
