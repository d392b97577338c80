package dev.hfr.engine.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.engine.EngineOptions;
import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.Json;
import dev.hfr.model.RenderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up pays ffmpeg's version query and the JSON mapper's build before the plan needs them. */
class WarmUpTest {
    @TempDir
    Path tmp;

    @Test
    void theVersionIsAskedOnceAndTheMapperIsBuiltBeforeThePlanAsks() throws Exception {
        Path calls = tmp.resolve("calls");
        Path ffmpeg = tmp.resolve("ffmpeg");
        Files.writeString(ffmpeg, "#!/bin/sh\necho call >> '" + calls + "'\necho 'ffmpeg version 9.9-warm Copyright'\n");
        Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
        FfmpegTools tools = FfmpegTools.of(ffmpeg, ffmpeg);
        EngineOptions options = new EngineOptions(null, BrowserOptions.defaults(), tools, tmp, tmp, 0, null);
        WarmUp.start(options).join();
        assertEquals(1, Files.readAllLines(calls).size(), "the warm-up asked ffmpeg for its version");
        assertEquals("9.9-warm", tools.version());
        assertEquals(1, Files.readAllLines(calls).size(), "the plan's own call used the warmed value");
        assertEquals(Map.of("a", 1), Json.tree("{\"a\":1}"));
    }

    @Test
    void aMissingFfmpegIsLeftForThePlanToReport() throws Exception {
        Path ffmpeg = tmp.resolve("ffmpeg");
        Files.writeString(ffmpeg, "#!/bin/sh\nexit 3\n");
        Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
        EngineOptions options = new EngineOptions(null, BrowserOptions.defaults(), FfmpegTools.of(ffmpeg, ffmpeg), tmp,
                tmp, 0, null);
        Thread t = WarmUp.start(options);
        t.join();
        // the thread ended quietly; the real call still fails with its code
        assertEquals(Thread.State.TERMINATED, t.getState());
        assertEquals(ErrorCode.FFMPEG_UNAVAILABLE, assertThrows(RenderException.class, options.ffmpeg()::version).code());
    }
}
