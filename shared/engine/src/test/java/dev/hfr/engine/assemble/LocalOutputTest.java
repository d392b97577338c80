package dev.hfr.engine.assemble;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.engine.EngineOptions;
import dev.hfr.engine.plan.PlanService;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.PlanEvent;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import dev.hfr.storage.LocalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13 item 1 in the engine: step events cannot make a local output delete or overwrite foreign files. */
class LocalOutputTest {
    @TempDir
    Path tmp;

    private static void assertUnsafe(Runnable r, String mustName) {
        RenderException e = assertThrows(RenderException.class, r::run);
        assertEquals(ErrorCode.OUTPUT_PATH_UNSAFE, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(mustName), e.getMessage());
    }

    private EngineOptions options() {
        return new EngineOptions(new LocalStorage(), BrowserOptions.defaults(), FfmpegTools.locate(System.getenv()), tmp.resolve("assets"),
                tmp.resolve("work"));
    }

    @Test
    void aPlanEventWithTheProjectAsOutputIsRefusedBeforeAnyWork() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("index.html"), "<html></html>");
        PlanEvent event = new PlanEvent("plan", project.toString(), tmp.resolve("prefix").toString(), project.toString(),
                new RenderConfig(null, null, null, "png-sequence", null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null, null), null);
        assertUnsafe(() -> new PlanService(options()).plan(event), project.toString());
        assertTrue(Files.isRegularFile(project.resolve("index.html")));
        assertTrue(!Files.exists(tmp.resolve("work")) || isEmpty(tmp.resolve("work")), "work started anyway");
    }

    @Test
    void theAssemblePublishCannotReplaceAForeignFolder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("Videos"));
        Files.writeString(folder.resolve("holiday.mp4"), "precious");
        Path frames = Files.createDirectories(tmp.resolve("frames"));
        Files.write(frames.resolve("frame-00000.png"), new byte[] {1});
        assertUnsafe(() -> {
            try {
                LocalOutput.publishDirectory(frames, folder);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, LocalOutput.MARKER);
        assertEquals("precious", Files.readString(folder.resolve("holiday.mp4")));
    }

    @Test
    void ourOwnFolderIsReplacedWholeAndMarked() throws Exception {
        Path out = tmp.resolve("seq");
        Path first = Files.createDirectories(tmp.resolve("a"));
        Files.write(first.resolve("frame-00000.png"), new byte[] {1});
        Files.write(first.resolve("frame-00001.png"), new byte[] {2});
        LocalOutput.publishDirectory(first, out);
        Path second = Files.createDirectories(tmp.resolve("b"));
        Files.write(second.resolve("frame-00000.png"), new byte[] {3});
        LocalOutput.publishDirectory(second, out);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(LocalOutput.MARKER, "frame-00000.png"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(3, Files.readAllBytes(out.resolve("frame-00000.png"))[0]);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("a", "b", "seq"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "staging or old folders left beside the output");
        }
    }

    @Test
    void videoOutputsRefuseFoldersAncestorsAndTheCurrentFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out.mp4"));
        assertUnsafe(() -> LocalOutput.check(dir, OutputFormat.MP4, List.of()), "is a folder");
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("index.html"), "x");
        assertUnsafe(() -> LocalOutput.check(project.resolve("index.html"), OutputFormat.MP4, List.of(project)),
                "existing file inside the input");
        assertUnsafe(() -> LocalOutput.check(Path.of("").toAbsolutePath(), OutputFormat.PNG_SEQUENCE, List.of()),
                "the current folder");
        assertUnsafe(() -> LocalOutput.check(Path.of("/"), OutputFormat.PNG_SEQUENCE, List.of()), "current folder");
        // a new file, or a file we may replace, passes
        LocalOutput.check(project.resolve("renders/out.mp4"), OutputFormat.MP4, List.of(project));
        Files.writeString(tmp.resolve("old.mp4"), "an earlier render");
        LocalOutput.check(tmp.resolve("old.mp4"), OutputFormat.MP4, List.of(project));
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
