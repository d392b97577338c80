package dev.hfr.engine.plan;

import dev.hfr.browser.CompositionPage;
import dev.hfr.browser.MediaElement;
import dev.hfr.browser.PageProbe;
import dev.hfr.compile.AssetResolver;
import dev.hfr.compile.CompileOptions;
import dev.hfr.compile.CompiledProject;
import dev.hfr.compile.ProjectCompiler;
import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.EngineVersion;
import dev.hfr.engine.Steps;
import dev.hfr.engine.assemble.LocalOutput;
import dev.hfr.engine.support.PlanStore;
import dev.hfr.engine.support.SiteBundle;
import dev.hfr.engine.support.WorkDirs;
import dev.hfr.ffmpeg.AudioMixer;
import dev.hfr.ffmpeg.MediaInput;
import dev.hfr.ffmpeg.VideoFrameExtractor;
import dev.hfr.model.ChunkSlice;
import dev.hfr.model.ChunkSlicer;
import dev.hfr.model.CompositionInfo;
import dev.hfr.model.EncoderSettings;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.FileTrees;
import dev.hfr.model.Json;
import dev.hfr.model.Limits;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.PlanArtifact;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.PlanHash;
import dev.hfr.model.PlanManifest;
import dev.hfr.model.PlanResult;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import dev.hfr.model.Sha256;
import dev.hfr.model.Step;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.archive.ProjectArchive;
import io.micronaut.serde.annotation.Serdeable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The plan step: unpack and compile the project, probe it in the browser, pre-extract video frames,
 * pre-mix audio, slice the frame range and publish a content-addressed plan with its hash.
 * Chunk workers then never touch the network or the project archive.
 */
public final class PlanService implements Steps.Plan {
    /** Where the compiled site lives inside a materialised plan directory. */
    public static final String COMPILED = "compiled";

    private final EngineOptions options;

    public PlanService(EngineOptions options) {
        this.options = options;
    }

    @Override
    public PlanResult plan(PlanEvent event) {
        return plan(event, PlanListener.NONE);
    }

    public PlanResult plan(PlanEvent event, PlanListener listener) {
        long t0 = System.nanoTime();
        require(event.projectS3Uri(), "ProjectS3Uri");
        require(event.planOutputS3Prefix(), "PlanOutputS3Prefix");
        RenderConfig config = (event.config() == null ? RenderConfig.empty() : event.config()).validated();
        OutputFormat format = config.outputFormat();
        PlanStore store = new PlanStore(options.storage(), event.planOutputS3Prefix());
        store.checkPlanEvent(event.projectS3Uri(), event.outputS3Uri());
        checkLocalOutput(event, format);
        String renderId = event.renderId() != null ? event.renderId() : "r-" + UUID.randomUUID();

        Path work = WorkDirs.create(options.workRoot(), "plan-");
        try {
            listener.stage("unpack");
            Path project = ProjectArchive.materialize(event.projectS3Uri(), options.storage(), work.resolve("project"),
                    config.entryFile());
            Path planDir = work.resolve("plan");
            Path compiledDir = planDir.resolve(COMPILED);
            Prepared prepared = prepare(project, config, compiledDir, listener);
            List<String> warnings = prepared.warnings();
            PageProbe probe = prepared.probe();
            int fps = config.fps();
            int width = prepared.width();
            int height = prepared.height();
            double duration = prepared.durationSeconds();
            int totalFrames = prepared.totalFrames();
            List<ChunkSlice> slices = ChunkSlicer.slice(totalFrames, config);

            listener.stage("media");
            Map<String, List<Integer>> frameChunks = new LinkedHashMap<>();
            int videos = extractVideos(probe, compiledDir, fps, duration, slices, frameChunks, warnings, config);
            boolean hasAudio = mixAudio(probe, compiledDir, planDir.resolve(PlanManifest.AUDIO_PATH), duration, warnings);
            int audios = (int) probe.media().stream().filter(m -> m.hasAudio()).count();

            listener.stage("publish");
            List<PlanArtifact> artifacts = collectArtifacts(planDir, frameChunks);
            store.uploadArtifacts(planDir, artifacts);
            EncoderSettings encoder = EncoderSettings.from(config);
            PlanManifest manifest = new PlanManifest(PlanManifest.SCHEMA, null, renderId, EngineVersion.VALUE,
                    options.ffmpeg().version(), format.wireName(),
                    new CompositionInfo(probe.compositionId(), width, height, fps, duration, totalFrames, videos, audios),
                    encoder, slices, hasAudio, artifacts, warnings);
            manifest = manifest.withPlanHash(PlanHash.compute(manifest));
            String manifestUri = store.writeManifest(manifest);
            String chunkList = store.writeChunkList(slices.size());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new PlanResult(Step.PLAN.wireName(), renderId, manifest.planHash(), manifestUri, event.planOutputS3Prefix(),
                    slices.size(), totalFrames, fps, width, height, format.wireName(), hasAudio,
                    manifest.ffmpegVersion(), EngineVersion.VALUE, millis, warnings.isEmpty() ? null : warnings,
                    config.maxParallelChunks()).withChunkList(chunkList);
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    /**
     * What the plan knows about a project before slicing it: compiled into {@code compiledDir}, probed in
     * the browser, and checked (positive finite duration within the limit, even output size).
     */
    public record Prepared(CompiledProject compiled, PageProbe probe, int width, int height, double durationSeconds,
            int totalFrames, List<String> warnings) {
    }

    /**
     * Compiles, probes and checks a materialised project: the one code path the plan, {@code hf preview}
     * and {@code hf validate} share, so what one refuses the others refuse too.
     */
    public Prepared prepare(Path project, RenderConfig config, Path compiledDir, PlanListener listener) {
        listener.stage("compile");
        CompiledProject compiled;
        int fps = config.fps();
        PageProbe probe;
        CompositionPage page;
        CompileOptions compileOptions = CompileOptions.of(config);
        // the probe's browser starts while the project compiles, at the size its entry file declares
        // (only a plain file inside the project: the compile checks the entry file itself, later)
        Path entry = project.resolve(compileOptions.entryFile()).normalize();
        boolean inside = entry.startsWith(project.normalize())
                && Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        int[] guess = probeSize(config, inside ? guessedSize(entry) : null);
        try (EarlyBrowser early = EarlyBrowser.start(options.browser(), guess[0], guess[1])) {
            try (AssetResolver resolver = AssetResolver.create(options.assetCacheDir(),
                    Boolean.TRUE.equals(config.allowRemoteAssets()), options.npmRegistry())) {
                compiled = ProjectCompiler.compile(project, compileOptions, resolver, compiledDir);
            }
            listener.stage("probe");
            // the viewport the chunks render at when the document declares it, so the probe page can go on as a
            // chunk's
            int[] size = probeSize(config, declaredSize(compiledDir.resolve(compiled.entryPath())));
            int probeW = size[0];
            int probeH = size[1];
            listener.probing(probeW, probeH);
            var session = early.take(probeW, probeH);
            page = session != null ? CompositionPage.open(session, compiledDir, compiled.entryPath(), fps)
                    : CompositionPage.open(options.browser(), compiledDir, compiled.entryPath(), probeW, probeH, fps);
        }
        List<String> warnings = new ArrayList<>(compiled.warnings());
        boolean kept = false;
        try {
            probe = page.probe();
            kept = listener.keepProbePage(page);
        } finally {
            if (!kept) {
                page.close();
            }
        }
        if (!probe.blockedRequests().isEmpty()) {
            warnings.add("the page requested URLs that are not part of the plan (blocked): "
                    + String.join(", ", probe.blockedRequests().stream().limit(5).toList()));
        }
        int width = config.width() != null ? config.width() : even(probe.width(), "data-width");
        int height = config.height() != null ? config.height() : even(probe.height(), "data-height");
        double duration = probe.durationSeconds();
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new RenderException(ErrorCode.COMPOSITION_ZERO_DURATION, "composition '" + probe.compositionId()
                    + "' has duration " + duration + " s; set data-duration on the root or give its timeline a length");
        }
        if (duration > Limits.MAX_DURATION_SECONDS) {
            throw new RenderException(ErrorCode.COMPOSITION_TOO_LONG, "composition '" + probe.compositionId()
                    + "' lasts " + duration + " s; at most " + Limits.MAX_DURATION_SECONDS + " s can be rendered");
        }
        if (probe.timelines().isEmpty()) {
            warnings.add("no script registered a timeline in window.__timelines: rendered as a static composition of "
                    + duration + " s (its data-duration), as HyperFrames does");
        }
        return new Prepared(compiled, probe, width, height, duration, totalFrames(duration, fps), warnings);
    }

    /**
     * Pre-extracts the frames of every video of a prepared project into its compiled site, as the plan
     * does, so a page opened on it shows each video at the seeked time (used by {@code hf preview}).
     */
    public int extractVideos(Prepared prepared, Path compiledDir, RenderConfig config) {
        List<ChunkSlice> one = ChunkSlicer.slice(prepared.totalFrames(), config);
        return extractVideos(prepared.probe(), compiledDir, config.fps(), prepared.durationSeconds(), one,
                new LinkedHashMap<>(), prepared.warnings(), config);
    }

    /** The probe page's {width, height}: the config's, else the document's declared size, else 1920x1080. */
    private static int[] probeSize(RenderConfig config, int[] declared) {
        return new int[] {config.width() != null ? config.width() : declared != null ? declared[0] : 1920,
                config.height() != null ? config.height() : declared != null ? declared[1] : 1080};
    }

    /**
     * The positive even data-width and data-height of the document's root composition (its first
     * {@code [data-composition-id]} element), or null when it declares none: the probe reads the real values.
     */
    static int[] declaredSize(Path entry) {
        try {
            org.jsoup.nodes.Element root = org.jsoup.Jsoup.parse(entry.toFile(), "UTF-8").selectFirst("[data-composition-id]");
            if (root == null) {
                return null;
            }
            return evenSize(Integer.parseInt(root.attr("data-width").trim()),
                    Integer.parseInt(root.attr("data-height").trim()));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** A declared size the probe may open at: positive and even, else null (the probe reads the real one). */
    private static int[] evenSize(int w, int h) {
        return w > 0 && h > 0 && w % 2 == 0 && h % 2 == 0 ? new int[] {w, h} : null;
    }

    private static final Pattern ROOT_TAG =
            Pattern.compile("<[A-Za-z][^<>]*?\\sdata-composition-id(?=\\s*=|[\\s/>])[^<>]*>");
    private static final Pattern WIDTH = numberAttribute("data-width");
    private static final Pattern HEIGHT = numberAttribute("data-height");

    private static Pattern numberAttribute(String name) {
        return Pattern.compile("\\s" + name + "\\s*=\\s*[\"']?\\s*([0-9]{1,5})\\s*[\"'\\s/>]");
    }
    /** The early browser's guess reads at most this much of the entry file (its root is near the top). */
    static final int GUESS_BYTES = 1 << 20;

    /**
     * {@link #declaredSize} as a cheap text scan of the project's entry (the first start tag with a
     * {@code data-composition-id}), for the early browser, which must start before the compile: parsing the entry
     * with jsoup in a cold JVM took 0.3-0.5 s, all of it before Chromium's launch. Only a guess: the probe checks the
     * compiled document's real declaration ({@link EarlyBrowser#take}) and starts another browser when they differ.
     */
    static int[] guessedSize(Path entry) {
        String head;
        try (var in = Files.newInputStream(entry)) {
            head = new String(in.readNBytes(GUESS_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        Matcher tag = ROOT_TAG.matcher(head);
        if (!tag.find()) {
            return null;
        }
        Matcher w = WIDTH.matcher(tag.group());
        Matcher h = HEIGHT.matcher(tag.group());
        if (!w.find() || !h.find()) {
            return null;
        }
        return evenSize(Integer.parseInt(w.group(1)), Integer.parseInt(h.group(1)));
    }

    /** Frames = ceil(duration x fps), treating values within 1e-3 of an integer as that integer. */
    public static int totalFrames(double durationSeconds, int fps) {
        double exact = durationSeconds * fps;
        double rounded = Math.rint(exact);
        int frames = Math.abs(exact - rounded) < 1e-3 ? (int) rounded : (int) Math.ceil(exact);
        return Math.max(1, frames);
    }

    /** A local output must be safe to publish before any work starts (see {@link LocalOutput}). */
    private static void checkLocalOutput(PlanEvent event, OutputFormat format) {
        if (event.outputS3Uri() == null || event.outputS3Uri().isBlank()) {
            return;
        }
        StorageUri out = StorageUri.parse(event.outputS3Uri());
        if (out.isS3()) {
            return;
        }
        List<Path> inputs = new ArrayList<>();
        for (String uri : new String[] {event.projectS3Uri(), event.planOutputS3Prefix()}) {
            StorageUri u = StorageUri.parse(uri);
            if (!u.isS3()) {
                inputs.add(u.path());
            }
        }
        LocalOutput.check(out.path(), format, inputs);
    }

    private int extractVideos(PageProbe probe, Path compiledDir, int fps, double duration, List<ChunkSlice> slices,
                              Map<String, List<Integer>> frameChunks, List<String> warnings, RenderConfig config) {
        Map<String, VideoFrames> videos = new LinkedHashMap<>();
        for (MediaElement m : probe.media()) {
            if (!"video".equals(m.kind()) || m.hfrId() == null) {
                continue;
            }
            Path src = localMedia(compiledDir, m.src());
            if (src == null) {
                String msg = "video " + m.hfrId() + " source " + m.src() + " is not part of the project";
                if (Boolean.TRUE.equals(config.allowMissingMedia())) {
                    warnings.add(msg + "; it renders blank");
                    continue;
                }
                throw new RenderException(ErrorCode.ASSET_UNAVAILABLE, msg);
            }
            String what = describe(m, compiledDir, src);
            MediaInput.requireMediaFile(src, what);
            double start = Math.max(0, m.startSeconds());
            double visible = m.durationSeconds() != null ? m.durationSeconds() : duration - start;
            visible = Math.min(visible, duration - start);
            if (visible <= 0) {
                continue;
            }
            String dirName = "__hfr/video/" + m.hfrId();
            Path outDir = compiledDir.resolve(dirName);
            int frames;
            try {
                frames = VideoFrameExtractor.extract(options.ffmpeg(), src, m.mediaStartSeconds(), visible,
                        m.playbackRate() > 0 ? m.playbackRate() : 1.0, fps, outDir, "jpg");
            } catch (RenderException e) {
                throw e.code() == ErrorCode.MEDIA_NOT_ALLOWED ? renamed(e, what, src) : e;
            }
            videos.put(m.hfrId(), new VideoFrames(start, visible, frames, dirName + "/%06d.jpg"));
            for (int k = 0; k < frames; k++) {
                frameChunks.put(COMPILED + "/" + dirName + String.format("/%06d.jpg", k),
                        chunksShowingVideoFrame(k, start, fps, frames, slices));
            }
        }
        if (!videos.isEmpty()) {
            write(compiledDir.resolve("__hfr/videos.json"), Json.write(videos));
        }
        return videos.size();
    }

    /** One entry of {@code __hfr/videos.json}, which the page runtime reads: where a video's frames are and when they show. */
    @Serdeable
    record VideoFrames(double start, double duration, int frameCount, String pattern) {
    }

    /**
     * Which chunks may display frame k of a video starting at {@code start}: the runtime shows
     * k = floor(g - start*fps) clamped to the extracted range, so a chunk needs the clamped k of its
     * first and last frame and everything between.
     */
    static List<Integer> chunksShowingVideoFrame(int k, double start, int fps, int frameCount, List<ChunkSlice> slices) {
        List<Integer> out = new ArrayList<>();
        double offset = start * fps;
        for (ChunkSlice s : slices) {
            int first = clamp((int) Math.floor(s.startFrame() - offset + 1e-6), frameCount);
            int last = clamp((int) Math.floor(s.endFrame() - 1 - offset + 1e-6), frameCount);
            if (k >= first && k <= last) {
                out.add(s.index());
            }
        }
        return out;
    }

    private static int clamp(int k, int n) {
        return Math.max(0, Math.min(n - 1, k));
    }

    private boolean mixAudio(PageProbe probe, Path compiledDir, Path out, double duration, List<String> warnings) {
        List<AudioMixer.AudioClip> clips = new ArrayList<>();
        for (MediaElement m : probe.media()) {
            if (!m.hasAudio()) {
                continue;
            }
            Path src = localMedia(compiledDir, m.src());
            if (src == null) {
                warnings.add(m.kind() + " " + m.hfrId() + " audio source " + m.src() + " is not part of the project; muted");
                continue;
            }
            MediaInput.requireMediaFile(src, describe(m, compiledDir, src));
            if (m.startSeconds() >= duration || m.volume() <= 0) {
                continue;
            }
            clips.add(new AudioMixer.AudioClip(src, Math.max(0, m.startSeconds()), m.mediaStartSeconds(),
                    m.durationSeconds(), m.volume(), m.playbackRate() > 0 ? m.playbackRate() : 1.0));
        }
        if (clips.isEmpty()) {
            return false;
        }
        try {
            AudioMixer.mix(options.ffmpeg(), clips, duration, out);
        } catch (RenderException e) {
            if (e.code() != ErrorCode.MEDIA_NOT_ALLOWED) {
                throw e;
            }
            String message = e.getMessage();
            for (AudioMixer.AudioClip c : clips) { // name project files, not the plan's temp copies
                message = message.replace(c.source().toString(), projectFile(compiledDir, c.source()));
            }
            throw new RenderException(ErrorCode.MEDIA_NOT_ALLOWED, "audio mix refused: " + message, e);
        }
        return true;
    }

    /** "video hfr-v0 (project file 'assets/clip.mp4')": what an error about a media element names. */
    private static String describe(MediaElement m, Path compiledDir, Path src) {
        return m.kind() + " element " + (m.hfrId() == null ? "" : m.hfrId() + " ") + "(src '" + m.src()
                + "', project file '" + projectFile(compiledDir, src) + "')";
    }

    /** The project-relative name of a compiled copy: the compiled site mirrors the project's layout. */
    private static String projectFile(Path compiledDir, Path src) {
        return compiledDir.relativize(src).toString().replace('\\', '/');
    }

    private static RenderException renamed(RenderException e, String what, Path src) {
        return new RenderException(ErrorCode.MEDIA_NOT_ALLOWED, what + ": " + e.getMessage().replace(src.toString(),
                "the file"), e);
    }

    /** Resolves a media src (a path relative to the site root, maybe URL-encoded or with a leading slash). */
    static Path localMedia(Path compiledDir, String src) {
        if (src == null || src.isBlank() || src.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null;
        }
        String clean = java.net.URLDecoder.decode(src.split("[?#]")[0], StandardCharsets.UTF_8);
        while (clean.startsWith("/")) {
            clean = clean.substring(1);
        }
        Path p = compiledDir.resolve(clean).normalize();
        return p.startsWith(compiledDir) && Files.isRegularFile(p) ? p : null;
    }

    /**
     * The plan's artifacts: the pre-mixed audio (assembler only), each extracted video frame (only the chunks that
     * show it), and every other file of the compiled project packed into ONE bundle ({@link SiteBundle}) that every
     * chunk downloads once: a project of thousands of small files costs a chunk one download, not thousands.
     */
    static List<PlanArtifact> collectArtifacts(Path planDir, Map<String, List<Integer>> frameChunks) {
        List<PlanArtifact> out = new ArrayList<>();
        List<String> site = new ArrayList<>();
        try (Stream<Path> files = Files.walk(planDir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = planDir.relativize(f).toString().replace('\\', '/');
                if (rel.equals(PlanManifest.AUDIO_PATH)) {
                    out.add(new PlanArtifact(rel, Sha256.hex(f), Files.size(f), List.of(), true));
                } else if (frameChunks.containsKey(rel) || !rel.startsWith(COMPILED + "/")) {
                    out.add(new PlanArtifact(rel, Sha256.hex(f), Files.size(f), frameChunks.get(rel), false));
                } else {
                    site.add(rel);
                }
            }
            if (!site.isEmpty()) {
                Path bundle = planDir.resolve(PlanManifest.SITE_BUNDLE_PATH);
                SiteBundle.pack(planDir, site, bundle);
                out.add(new PlanArtifact(PlanManifest.SITE_BUNDLE_PATH, Sha256.hex(bundle), Files.size(bundle), null, false));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static int even(int v, String attr) {
        if (v < 16) {
            throw new RenderException(ErrorCode.COMPOSITION_INVALID, "the composition root has no usable " + attr
                    + " (got " + v + "); set it or pass width/height in the config");
        }
        return v % 2 == 0 ? v : v + 1;
    }

    private static void require(String v, String field) {
        if (v == null || v.isBlank()) {
            throw new RenderException(ErrorCode.INVALID_EVENT, "plan event has no " + field);
        }
    }

    private static void write(Path p, String s) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, s, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Plan progress, for the CLI. */
    public interface PlanListener {
        PlanListener NONE = stage -> { };

        void stage(String name);

        /**
         * The probe is about to start a browser for a page of this size, which is the chunks' size whenever the
         * config or the document declares it. Local mode starts its other workers' browsers now.
         */
        default void probing(int width, int height) {
        }

        /**
         * Offered the probe's loaded page once the probe is read. True takes it over (the listener closes it):
         * local mode renders the first chunk with it instead of starting another browser.
         */
        default boolean keepProbePage(CompositionPage page) {
            return false;
        }
    }
}
