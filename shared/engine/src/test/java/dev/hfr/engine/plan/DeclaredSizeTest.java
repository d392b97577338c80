package dev.hfr.engine.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe opens at the size the root composition declares, so its page fits the chunks (local hand-over). */
class DeclaredSizeTest {
    @TempDir
    Path tmp;

    private int[] size(String body) throws Exception {
        Path f = tmp.resolve("index.html");
        Files.writeString(f, "<!doctype html><html><body>" + body + "</body></html>");
        int[] declared = PlanService.declaredSize(f);
        // the early browser's text scan must agree with the parse on every case here
        assertArrayEquals(declared, PlanService.guessedSize(f), "guessed size of " + body);
        return declared;
    }

    @Test
    void theFirstCompositionRootGivesTheSize() throws Exception {
        assertArrayEquals(new int[] {1280, 720}, size("<div data-composition-id=\"main\" data-width=\"1280\""
                + " data-height=\"720\"><div data-composition-id=\"inner\" data-width=\"64\" data-height=\"64\">"
                + "</div></div>"));
    }

    @Test
    void noUsableDeclarationLeavesItToTheProbe() throws Exception {
        assertNull(size("<div data-composition-id=\"main\"></div>"));
        assertNull(size("<div data-composition-id=\"main\" data-width=\"1281\" data-height=\"720\"></div>"));
        assertNull(size("<div data-composition-id=\"main\" data-width=\"wide\" data-height=\"720\"></div>"));
        assertNull(size("<div data-width=\"1280\" data-height=\"720\"></div>"));
        assertNull(PlanService.declaredSize(tmp.resolve("missing.html")));
        assertNull(PlanService.guessedSize(tmp.resolve("missing.html")));
    }

    @Test
    void theScanReadsTheAttributesHowEverTheyAreWritten() throws Exception {
        assertArrayEquals(new int[] {1080, 1920}, size("<main class='x' data-height='1920'\n  data-composition-id=root"
                + " data-width = \"1080\" >text</main>"));
        assertArrayEquals(new int[] {640, 360}, size("<div data-composition-id data-width=640 data-height=360></div>"));
        // a lookalike attribute is not the root's
        assertNull(size("<div data-composition-idx=\"a\" data-width=\"640\" data-height=\"360\"></div>"));
    }
}
