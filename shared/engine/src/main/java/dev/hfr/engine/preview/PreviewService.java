package dev.hfr.engine.preview;

import dev.hfr.model.FileTrees;
import dev.hfr.browser.CompositionPage;
import dev.hfr.compile.AssetResolver;
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

    /**
     * Renders frame {@code frame} of the project as PNG bytes, through the plan's own preparation (compile,
     * probe, checks, pre-extracted video frames), so the frame is the one {@code hf render} draws.
     */
    public byte[] previewFrame(String project, RenderConfig config, int frame) {
        RenderConfig c = (config == null ? RenderConfig.empty() : config).validated();
        Path work = WorkDirs.create(options.workRoot(), "preview-");
        try {
            Path dir = ProjectArchive.materialize(project, options.storage(), work.resolve("project"), c.entryFile());
            Path compiledDir = work.resolve(PlanService.COMPILED);
            PlanService plan = new PlanService(options);
            PlanService.Prepared prepared = plan.prepare(dir, c, compiledDir, PlanService.PlanListener.NONE);
            int total = prepared.totalFrames();
            if (frame < 0 || frame >= total) {
                throw new RenderException(ErrorCode.INVALID_CONFIG, "frame " + frame + " is outside the composition's "
                        + total + " frames (0.." + (total - 1) + ")");
            }
            plan.extractVideos(prepared, compiledDir, c);
            try (CompositionPage page = CompositionPage.open(options.browser(), compiledDir,
                    prepared.compiled().entryPath(), prepared.width(), prepared.height(), c.fps())) {
                return page.captureFrame(frame, "png", 100);
            }
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    /**
     * Every problem found: the config, the static project checks (every unresolvable reference at once),
     * then, if they pass, the plan's own preparation (compile, probe, duration and size checks).
     */
    public List<ProjectValidator.Problem> validate(String project, RenderConfig config) {
        RenderConfig c = (config == null ? RenderConfig.empty() : config).withDefaults();
        List<ProjectValidator.Problem> problems = new ArrayList<>();
        c.validate().forEach(v -> problems.add(new ProjectValidator.Problem("config." + v.field(),
                ErrorCode.INVALID_CONFIG.name(), v.toString())));
        Path work = WorkDirs.create(options.workRoot(), "validate-");
        try {
            Path dir = ProjectArchive.materialize(project, options.storage(), work.resolve("project"), c.entryFile());
            try (AssetResolver resolver = AssetResolver.create(options.assetCacheDir(),
                    Boolean.TRUE.equals(c.allowRemoteAssets()), options.npmRegistry())) {
                problems.addAll(ProjectValidator.validate(dir, c.entryFile(), resolver));
            }
            if (!problems.isEmpty()) {
                return problems;
            }
            PlanService.Prepared prepared = new PlanService(options).prepare(dir, c, work.resolve(PlanService.COMPILED),
                    PlanService.PlanListener.NONE);
            for (String url : prepared.probe().blockedRequests()) {
                problems.add(new ProjectValidator.Problem(url, ErrorCode.ASSET_UNAVAILABLE.name(),
                        "the page requests " + url + " at run time; it cannot be resolved offline"));
            }
        } catch (RenderException e) {
            problems.add(new ProjectValidator.Problem(project, e.code().name(), e.getMessage()));
        } finally {
            FileTrees.deleteQuietly(work);
        }
        return problems;
    }
}
