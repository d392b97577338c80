package dev.hfr.engine;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.browser.CompositionPage;
import dev.hfr.compile.AssetResolver;
import dev.hfr.compile.CompileOptions;
import dev.hfr.compile.CompiledProject;
import dev.hfr.compile.NpmRegistry;
import dev.hfr.compile.ProjectCompiler;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A family the page loads from a Google Fonts stylesheet draws the faces that stylesheet asks for, and no
 * others, as in HyperFrames, which adds deterministic faces only for families its inline styles name (and,
 * for a linked non-canonical family, asks Google for the link's own faces). many-cuts links
 * {@code Montserrat:wght@900} and {@code Playfair Display:ital,wght@1,900} and names them in style.css at
 * weight 300 and upright: the reference draws the 900 and the italic face (the nearest the link has), hfr
 * drew a real Montserrat Light and an upright Playfair from every face of the fontsource packages (2.1 % of
 * blocks wrong at frame 36). Pixels compared against the same page asking for exactly the linked faces.
 */
@Tag("integration")
class GoogleFontsFacesTest {
    static final int W = 640;
    static final int H = 240;
    static final String GSAP = "https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js";
    static final String LINK = "https://fonts.googleapis.com/css2?family=Montserrat:wght@900"
            + "&family=Playfair+Display:ital,wght@1,900&family=Syncopate:wght@700&display=swap";

    @TempDir
    static Path tmp;
    static Path cache;

    @BeforeAll
    static void cache() {
        cache = OfflineFonts.requireCache("montserrat", "playfair-display", "syncopate");
    }

    /**
     * Three lines: Montserrat and Playfair Display styled by the project's style.css ({@code css}), Syncopate by
     * an inline style ({@code syncopate}), all three families from the Google Fonts link.
     */
    private static Path project(String name, String css, String syncopate) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("style.css"), "html, body { margin: 0; background: #000; }"
                + " p { margin: 4px 8px; font-size: 48px; color: #fff; }" + css, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("index.html"), "<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<link rel=\"stylesheet\" href=\"style.css\"><link href=\"" + LINK.replace("&", "&amp;")
                + "\" rel=\"stylesheet\"><script src=\"" + GSAP + "\"></script></head><body>"
                + "<div id=\"root\" data-composition-id=\"main\" data-width=\"" + W + "\" data-height=\"" + H
                + "\" data-duration=\"1\"><p class=\"m\">MAGIC CUT</p><p class=\"p\">MAGIC CUT</p>"
                + "<p style=\"font-family: Syncopate, sans-serif; " + syncopate + "\">MAGIC CUT</p></div>"
                + "<script>window.__timelines = window.__timelines || {};"
                + " window.__timelines.main = gsap.timeline({ paused: true }).to({}, { duration: 1 });</script>"
                + "</body></html>", StandardCharsets.UTF_8);
        return dir;
    }

    private static BufferedImage render(Path project) throws Exception {
        AssetResolver resolver = AssetResolver.create(cache, false, NpmRegistry.offline());
        Path out = Files.createTempDirectory(tmp, "compiled-");
        CompiledProject compiled = ProjectCompiler.compile(project,
                new CompileOptions("index.html", Map.of(), false, "strict", true), resolver, out);
        try (CompositionPage page = CompositionPage.open(BrowserOptions.defaults(), compiled.root(),
                compiled.entryPath(), W, H, 30)) {
            return ImageIO.read(new ByteArrayInputStream(page.captureFrame(0, "png", 0)));
        }
    }

    /** Pixels that differ in the band of line {@code line} (0..2, 80 px each). */
    private static long differingPixels(BufferedImage a, BufferedImage b, int line) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        long n = 0;
        for (int y = line * 80; y < Math.min(a.getHeight(), line * 80 + 80); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long litPixels(BufferedImage img, int line) {
        long n = 0;
        for (int y = line * 80; y < Math.min(img.getHeight(), line * 80 + 80); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xff) > 128) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void aLinkedFamilyDrawsTheNearestFaceTheLinkHas() throws Exception {
        BufferedImage asked = render(project("asked",
                " .m { font-family: 'Montserrat', sans-serif; font-weight: 300; }"
                        + " .p { font-family: 'Playfair Display', serif; font-weight: 900; font-style: normal; }",
                "font-weight: 400"));
        BufferedImage linked = render(project("linked",
                " .m { font-family: 'Montserrat', sans-serif; font-weight: 900; }"
                        + " .p { font-family: 'Playfair Display', serif; font-weight: 900; font-style: italic; }",
                "font-weight: 700"));
        BufferedImage light = render(project("light",
                " .m { font-family: 'Montserrat', sans-serif; font-weight: 100; }"
                        + " .p { font-family: 'Playfair Display', serif; font-weight: 400; font-style: italic; }",
                "font-weight: 100"));
        for (int line = 0; line < 3; line++) {
            assertTrue(litPixels(asked, line) > 500, "line " + line + " draws text");
        }
        assertTrue(differingPixels(asked, light, 0) + differingPixels(asked, light, 1) + differingPixels(asked, light, 2)
                == 0, "other weights asked for draw the same faces too");
        assertEquals(0, differingPixels(asked, linked, 0), "Montserrat 300 draws the linked 900 face");
        assertEquals(0, differingPixels(asked, linked, 1), "upright Playfair Display draws the linked italic face");
        assertEquals(0, differingPixels(asked, linked, 2), "Syncopate 400 (inline style) draws the linked 700 face");
    }
}
