package dev.hfr.compile;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.hfr.compile.ProjectValidator.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class ProjectValidatorTest {
    @TempDir
    Path tmp;

    @Test
    void listsEveryProblemOfABrokenProjectAtOnce() throws Exception {
        Files.writeString(tmp.resolve("index.html"), """
                <!doctype html>
                <html><head>
                <script src="https://cdn.jsdelivr.net/npm/gsap@0.0.1/dist/gsap.min.js"></script>
                <script src="missing.js"></script>
                </head><body>
                <div id="root" data-composition-id="main" data-height="1080" data-duration="soon">
                  <div id="scene" data-composition-src="compositions/gone.html"></div>
                </div>
                <div id="second" data-composition-id="extra" data-no-timeline></div>
                <script>window.__timelines = {}; window.__timelines["other"] = null;</script>
                </body></html>
                """);
        AssetResolver resolver = AssetResolver.create(TestAssetCache.sharedCache(), false, NpmRegistry.offline());

        List<ProjectValidator.Problem> problems = ProjectValidator.validate(tmp, null, resolver);

        List<String> summary = problems.stream().map(p -> p.code() + "@" + p.where()).toList();
        assertEquals(List.of(
                "COMPOSITION_INVALID@index.html",            // two roots
                "COMPOSITION_INVALID@index.html:6",          // data-width missing
                "COMPOSITION_INVALID@index.html:6",          // data-duration not a number
                "ASSET_UNAVAILABLE@index.html:3",            // gsap@0.0.1 not cached
                "ASSET_UNAVAILABLE@index.html:4",            // missing.js
                "COMPOSITION_INVALID@index.html:7"),         // nested src missing
                summary, problems.toString());
        assertTrue(problems.get(1).message().contains("data-width"));
        assertTrue(problems.get(2).message().contains("data-duration=\"soon\""));
        assertTrue(problems.get(5).message().contains("compositions/gone.html"));
    }

    @Test
    void timelineRegistrationIsLeftToTheProbeWhichSeesEveryForm() throws Exception {
        // HyperFrames renders all of these; whether a timeline is registered is the browser probe's call
        Files.writeString(tmp.resolve("index.html"), """
                <!doctype html>
                <html><head></head><body>
                <div id="root" data-composition-id="main" data-width="320" data-height="180" data-duration="1">
                  <div id="intro" data-composition-id="intro" data-start="0" data-duration="1"></div>
                </div>
                <script>const id = "intro"; window.__timelines = { main: {} }; window.__timelines[id] = {};</script>
                </body></html>
                """);
        List<ProjectValidator.Problem> problems = ProjectValidator.validate(tmp, null,
                AssetResolver.create(tmp.resolve("cache"), false, NpmRegistry.fromEnvironment(System::getenv)));
        assertEquals(List.of(), problems);
    }

    @Test
    void missingEntryIsTheOnlyProblem() throws Exception {
        List<ProjectValidator.Problem> problems = ProjectValidator.validate(tmp, "nope.html",
                AssetResolver.create(tmp.resolve("cache"), false, NpmRegistry.offline()));
        assertEquals(1, problems.size());
        assertEquals("ENTRY_FILE_NOT_FOUND", problems.getFirst().code());
    }
}
