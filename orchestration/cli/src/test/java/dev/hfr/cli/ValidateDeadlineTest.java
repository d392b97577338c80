package dev.hfr.cli;

import org.junit.jupiter.api.Tag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 4: {@code hf validate} probes the page with the plan's deadlines, so a script that never returns
 * is reported as a problem (COMPOSITION_SCRIPT_TIMEOUT, exit 2) instead of hanging the command.
 */
@Tag("integration")
class ValidateDeadlineTest {
    @TempDir
    Path tmp;

    @Test
    void endlessLoopAtLoadIsReportedNotHung() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("loops"));
        Files.writeString(project.resolve("index.html"), "<!doctype html><html><head>"
                + "<script src=\"https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.2/gsap.min.js\"></script></head><body>"
                + "<div id=\"root\" data-composition-id=\"loops\" data-width=\"320\" data-height=\"180\""
                + " data-start=\"0\" data-duration=\"1\"></div><script>"
                + "window.__timelines = window.__timelines || {}; window.__timelines[\"loops\"] = gsap.timeline({paused: true}).to('#root', {opacity: 0.5, duration: 1});"
                + " while (true) {}</script></body></html>");
        List<ProcessHandle> before = chromium();
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Hf.run(new String[] {"validate", project.toString()});
        } finally {
            System.setOut(oldOut);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(2, exit, text);
        assertTrue(text.contains(": COMPOSITION_SCRIPT_TIMEOUT: a script in index.html kept the page busy for more than"
                + " 32 s while loading"), text);
        // the default 30 s load deadline + 2 s slack + compile and browser start (measured 48 s on the loaded machine)
        assertTrue(millis < 90_000, "took " + millis + " ms");
        assertEquals(List.of(), chromium().stream().filter(h -> !before.contains(h)).map(ProcessHandle::pid).toList());
    }

    private static List<ProcessHandle> chromium() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().orElse("").contains("chrom")).toList();
    }
}
