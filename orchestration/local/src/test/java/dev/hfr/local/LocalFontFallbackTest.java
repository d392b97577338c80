package dev.hfr.local;

import dev.hfr.engine.plan.PlanService;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.hfr.local.RenderHarness.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A family no canonical font covers (Impact, used by several of HyperFrames' own fixtures): a local render falls
 * back with a warning, as HyperFrames' CLI does; the plan step as the cloud runs it fails closed, as HyperFrames'
 * distributed renderer does.
 */
@Tag("integration")
class LocalFontFallbackTest {
    @TempDir
    Path tmp;

    private Path impact() throws Exception {
        return Compositions.write(tmp.resolve("impact"), Compositions.page(
                "data-composition-id=\"impact\" data-width=\"320\" data-height=\"180\" data-start=\"0\" data-duration=\"1\"",
                "<div class=\"abs\" style=\"left:10px;top:60px;font-size:40px;font-family:Impact;color:#fff\">IMPACT</div>",
                "window.__timelines = window.__timelines || {}; window.__timelines.impact = gsap.timeline({paused:true}).to({}, {duration: 1});"));
    }

    @Test
    void aLocalRenderFallsBackWithAWarning() throws Exception {
        LocalRenderSummary s = RenderHarness.render(impact(), tmp.resolve("out.mp4"), config(30, "mp4", null), tmp.resolve("work"));
        assertEquals(30, s.plan().totalFrames());
        assertTrue(s.plan().warnings() != null && s.plan().warnings().stream().anyMatch(w -> w.contains("Impact")),
                "the plan warns about the family: " + s.plan().warnings());
    }

    @Test
    void theCloudPlanFailsClosed() throws Exception {
        Path project = impact();
        PlanService plan = new PlanService(RenderHarness.options(tmp.resolve("work")));
        RenderException e = assertThrows(RenderException.class, () -> plan.plan(new PlanEvent("plan", project.toString(),
                tmp.resolve("plan").toString(), tmp.resolve("o.mp4").toString(), config(30, "mp4", null), "cloud")));
        assertEquals(ErrorCode.FONT_FETCH_FAILED, e.code());
        assertTrue(e.getMessage().contains("Impact"), e.getMessage());
    }
}
