package dev.hfr.engine.preview;

import dev.hfr.model.FileTrees;
import dev.hfr.browser.CompositionPage;
import dev.hfr.browser.PageProbe;
import dev.hfr.compile.AssetResolver;
import dev.hfr.compile.CompileOptions;
import dev.hfr.compile.CompiledProject;
import dev.hfr.compile.ProjectCompiler;
import dev.hfr.compile.ProjectValidator;
import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.plan.PlanService;
import dev.hfr.engine.support.WorkDirs;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import dev.hfr.storage.archive.ProjectArchive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One-frame previews and contract validation, for {@code hf preview} and {@code hf validate}. */
public final class PreviewService {
    private final EngineOptions options;

    public PreviewService(EngineOptions options) {
        this.options = options;
    }

    /** Renders frame {@code frame} of the project as PNG bytes. */
    public byte[] previewFrame(String project, RenderConfig config, int frame) {
        RenderConfig c = (config == null ? RenderConfig.empty() : config).validated();
        Path work = WorkDirs.create(options.workRoot(), "preview-");
        try {
            CompiledProject compiled = compile(project, c, work);
            PageProbe probe;
            try (CompositionPage page = CompositionPage.open(options.browser(), compiled.root(), compiled.entryPath(),
                    orDefault(c.width(), 1920), orDefault(c.height(), 1080), c.fps())) {
                probe = page.probe();
            }
            int w = c.width() != null ? c.width() : probe.width();
            int h = c.height() != null ? c.height() : probe.height();
            int total = PlanService.totalFrames(probe.durationSeconds(), c.fps());
            if (frame < 0 || frame >= total) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, "frame " + frame + " is outside the composition's "
                        + total + " frames (0.." + (total - 1) + ")");
            }
            try (CompositionPage page = CompositionPage.open(options.browser(), compiled.root(), compiled.entryPath(), w, h, c.fps())) {
                return page.captureFrame(frame, "png", 100);
            }
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    /** Every problem found: static checks first, then (if they pass) a probe in the browser. */
    public List<ProjectValidator.Problem> validate(String project, RenderConfig config) {
        RenderConfig c = (config == null ? RenderConfig.empty() : config).withDefaults();
        List<ProjectValidator.Problem> problems = new ArrayList<>();
        c.validate().forEach(v -> problems.add(new ProjectValidator.Problem("config." + v.field(),
                ErrorCode.INVALID_CONFIG.name(), v.toString())));
        Path work = WorkDirs.create(options.workRoot(), "validate-");
        try {
            Path dir = ProjectArchive.materialize(project, options.storage(), work.resolve("project"), c.entryFile());
            AssetResolver resolver = AssetResolver.create(options.assetCacheDir(), Boolean.TRUE.equals(c.allowRemoteAssets()));
            problems.addAll(ProjectValidator.validate(dir, c.entryFile(), resolver));
            if (!problems.isEmpty()) {
                return problems;
            }
            CompiledProject compiled = ProjectCompiler.compile(dir, CompileOptions.of(c), resolver, work.resolve("compiled"));
            try (CompositionPage page = CompositionPage.open(options.browser(), compiled.root(), compiled.entryPath(),
                    orDefault(c.width(), 1920), orDefault(c.height(), 1080), c.fps())) {
                PageProbe probe = page.probe();
                for (String url : probe.blockedRequests()) {
                    problems.add(new ProjectValidator.Problem(url, ErrorCode.ASSET_UNAVAILABLE.name(),
                            "the page requests " + url + " at run time; it cannot be resolved offline"));
                }
            }
        } catch (RenderException e) {
            problems.add(new ProjectValidator.Problem(project, e.code().name(), e.getMessage()));
        } finally {
            FileTrees.deleteQuietly(work);
        }
        return problems;
    }

    private CompiledProject compile(String project, RenderConfig c, Path work) {
        Path dir = ProjectArchive.materialize(project, options.storage(), work.resolve("project"), c.entryFile());
        AssetResolver resolver = AssetResolver.create(options.assetCacheDir(), Boolean.TRUE.equals(c.allowRemoteAssets()));
        return ProjectCompiler.compile(dir, CompileOptions.of(c), resolver, work.resolve("compiled"));
    }

    private static int orDefault(Integer v, int d) {
        return v != null ? v : d;
    }
}
