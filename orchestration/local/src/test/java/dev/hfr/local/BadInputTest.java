package dev.hfr.local;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad compositions fail the plan with a typed code and a message that says what and where; no output appears. */
@Tag("integration")
class BadInputTest {
    @TempDir
    Path tmp;

    private RenderException renderFails(Path project) throws Exception {
        Path out = tmp.resolve("out.mp4");
        LocalRenderer renderer = new LocalRenderer(RenderHarness.options(tmp.resolve("work"), RenderHarness.fastFailBrowser()));
        RenderException e = assertThrows(RenderException.class, () -> renderer.render(new LocalRenderRequest(
                project.toString(), out.toString(), RenderConfig.of(30, "mp4"), 1, null, false), RenderProgress.NONE));
        assertFalse(Files.exists(out), "no output may appear after a failed render");
        return e;
    }

    @Test
    void compositionWithoutIdIsInvalid() throws Exception {
        Path p = Compositions.write(tmp.resolve("noid"), Compositions.page("data-duration=\"1\"", "<p>hi</p>", ""));
        RenderException e = renderFails(p);
        assertEquals(ErrorCode.COMPOSITION_INVALID, e.code());
        assertTrue(e.getMessage().contains("data-composition-id"), e.getMessage());
    }

    @Test
    void zeroDurationIsRejected() throws Exception {
        Path p = Compositions.write(tmp.resolve("zero"), Compositions.page(
                "data-composition-id=\"z\" data-width=\"320\" data-height=\"180\" data-start=\"0\" data-duration=\"0\"", "",
                "window.__timelines = {z: gsap.timeline({paused: true})};"));
        assertEquals(ErrorCode.COMPOSITION_ZERO_DURATION, renderFails(p).code());
    }

    @Test
    void timelineThatNeverRegistersTimesOutWithAClearMessage() throws Exception {
        Path p = Compositions.write(tmp.resolve("noreg"), Compositions.page(
                "data-composition-id=\"late\" data-width=\"320\" data-height=\"180\" data-start=\"0\" data-duration=\"1\"",
                "", "/* forgot window.__timelines.late = tl */ gsap.timeline({paused: true});"));
        long t0 = System.nanoTime();
        RenderException e = renderFails(p);
        assertEquals(ErrorCode.TIMELINE_NOT_REGISTERED, e.code());
        assertTrue(e.getMessage().contains("late"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 60, "the wait must be bounded");
    }

    @Test
    void unreachableScriptNamesTheUrl() throws Exception {
        Path p = Compositions.write(tmp.resolve("remote"), Compositions.page(
                "data-composition-id=\"r\" data-width=\"320\" data-height=\"180\" data-start=\"0\" data-duration=\"1\"",
                "<script src=\"https://cdn.example.invalid/lib/1.0/lib.min.js\"></script>",
                "window.__timelines = {r: gsap.timeline({paused: true})};"));
        RenderException e = renderFails(p);
        assertEquals(ErrorCode.ASSET_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("https://cdn.example.invalid/lib/1.0/lib.min.js"), e.getMessage());
    }

    @Test
    void corruptVideoFileIsUnrenderable() throws Exception {
        Path dir = tmp.resolve("corrupt");
        Files.createDirectories(dir);
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Files.write(dir.resolve("broken.mp4"), junk);
        Compositions.write(dir, Compositions.page(
                "data-composition-id=\"c\" data-width=\"320\" data-height=\"180\" data-start=\"0\" data-duration=\"1\"",
                "<video src=\"broken.mp4\" data-start=\"0\" data-duration=\"1\"></video>",
                "window.__timelines = {c: gsap.timeline({paused: true})};"));
        RenderException e = renderFails(dir);
        assertEquals(ErrorCode.VIDEO_SOURCE_UNRENDERABLE, e.code());
        assertTrue(e.getMessage().contains("broken.mp4"), e.getMessage());
    }

    @Test
    void invalidConfigListsEveryField() throws Exception {
        Path out = tmp.resolve("x.mp4");
        LocalRenderer renderer = new LocalRenderer(RenderHarness.options(tmp.resolve("work")));
        RenderConfig bad = new RenderConfig(121, 17, null, "mp4", null, null, 99, null, null, null, null, null, null,
                null, null, null, null, null, null);
        RenderException e = assertThrows(RenderException.class, () -> renderer.render(new LocalRenderRequest(
                RenderHarness.repoRoot().resolve("examples/hello").toString(), out.toString(), bad, 1, null, false),
                RenderProgress.NONE));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("fps") && e.getMessage().contains("width") && e.getMessage().contains("crf"),
                e.getMessage());
    }
}
