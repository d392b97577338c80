package dev.hfr.engine;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text drawn with system family names renders with the canonical web fonts, so the picture is the same
 * whatever fonts the machine has: pixels compared against the fontsource family named directly, and
 * against a browser whose fontconfig lists only DejaVu.
 */
@Tag("integration")
class FontDeterminismTest {
    static final int W = 480;
    static final int H = 200;
    static final String GSAP = "https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js";

    @TempDir
    static Path tmp;
    static Path cache;

    @BeforeAll
    static void cache() {
        cache = OfflineFonts.requireCache("inter", "jetbrains-mono");
    }

    /** Four lines, each in the given font-family values. */
    private static Path project(String name, String... families) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String f : families) {
            lines.append("<p style=\"font-family: ").append(f).append("\">Hamburgefonstiv 0123 Wq&amp;@</p>");
        }
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("index.html"), "<!doctype html><html><head><meta charset=\"utf-8\"><style>"
                + "html, body { margin: 0; background: #fff; } p { margin: 4px 8px; font-size: 30px; color: #000; }"
                + " b { font-weight: 700; }</style><script src=\"" + GSAP + "\"></script></head><body>"
                + "<div id=\"root\" data-composition-id=\"main\" data-width=\"" + W + "\" data-height=\"" + H
                + "\" data-duration=\"1\">" + lines + "</div><script>window.__timelines = window.__timelines || {};"
                + " window.__timelines.main = gsap.timeline({ paused: true }).to({}, { duration: 1 });</script>"
                + "</body></html>", StandardCharsets.UTF_8);
        return dir;
    }

    private static BufferedImage render(Path project, String fontPolicy, Map<String, String> browserEnv) throws Exception {
        AssetResolver resolver = AssetResolver.create(cache, false, NpmRegistry.offline());
        Path out = Files.createTempDirectory(tmp, "compiled-");
        CompiledProject compiled = ProjectCompiler.compile(project,
                new CompileOptions("index.html", Map.of(), false, fontPolicy, true), resolver, out);
        BrowserOptions options = BrowserOptions.defaults().withExtraEnv(browserEnv);
        try (CompositionPage page = CompositionPage.open(options, compiled.root(), compiled.entryPath(), W, H, 30)) {
            return ImageIO.read(new ByteArrayInputStream(page.captureFrame(0, "png", 0)));
        }
    }

    /**
     * A fontconfig with DejaVu only: Arial, Helvetica and monospace then resolve to other faces than usual. It lives
     * in a folder every user can read, because a root JVM runs the browser as an unprivileged user with its sandbox
     * (docs/security.md), and that user cannot enter the test's private temp folder.
     */
    private static Map<String, String> dejavuOnly() throws Exception {
        Path dejavu = Path.of("/usr/share/fonts/truetype/dejavu");
        assumeTrue(Files.isDirectory(dejavu), "skipped: no " + dejavu + " to build a DejaVu-only fontconfig from");
        if (shared == null) {
            shared = Files.createTempDirectory("hfr-fonttest-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Path cacheDir = Files.createDirectory(shared.resolve("fc-cache"));
            Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Path conf = shared.resolve("fonts-dejavu-only.conf");
        Files.writeString(conf, "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>"
                + "<dir>" + dejavu + "</dir><cachedir>" + shared.resolve("fc-cache") + "</cachedir></fontconfig>\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        return Map.of("FONTCONFIG_FILE", conf.toString());
    }

    private static Path shared;

    @AfterAll
    static void removeSharedFontconfig() {
        if (shared != null) {
            dev.hfr.model.FileTrees.deleteQuietly(shared);
        }
    }

    private static long differingPixels(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void systemFamilyNamesDrawTheCanonicalWebFontsWhateverTheMachineHas() throws Exception {
        Path system = project("system-names", "Arial, sans-serif", "Helvetica", "system-ui", "'Courier New', monospace");
        Path direct = project("fontsource-names", "Inter", "Inter", "Inter", "'JetBrains Mono'");

        BufferedImage mapped = render(system, "strict", Map.of());
        BufferedImage named = render(direct, "strict", Map.of());
        assertEquals(0, differingPixels(mapped, named), "Arial/Helvetica/system-ui/Courier New draw as Inter and JetBrains Mono");

        BufferedImage otherMachine = render(system, "strict", dejavuOnly());
        assertEquals(0, differingPixels(mapped, otherMachine), "a machine with other fonts draws the same pixels");
    }

    @Test
    void withTheSystemPolicyTheMachinesFontsShowThrough() throws Exception {
        Path system = project("system-policy", "Arial, sans-serif", "Helvetica", "system-ui", "'Courier New', monospace");
        BufferedImage here = render(system, "system", Map.of());
        BufferedImage otherMachine = render(system, "system", dejavuOnly());
        long diff = differingPixels(here, otherMachine);
        assertTrue(diff > 500, "the fontconfig change must reach the browser for the other test to mean anything; "
                + diff + " pixels differ");
    }
}
