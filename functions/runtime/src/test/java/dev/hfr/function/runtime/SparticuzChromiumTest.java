package dev.hfr.function.runtime;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unpacks the real {@code @sparticuz/chromium} 153 archives (npm, installed by scripts/package-lambda.sh into
 * .cache/npm-lambda) into a temp dir standing in for /tmp, then launches the result with the environment
 * the cold start publishes. Skipped, saying why, when the npm package is not there.
 */
@Tag("integration")
class SparticuzChromiumTest {
    private static final long LAUNCH_DEADLINE_SECONDS = 60;

    static Path layerDir() {
        Path root = Path.of(System.getProperty("hfr.repo.root", "../.."));
        return root.resolve(".cache/npm-lambda/node_modules/@sparticuz/chromium/bin");
    }

    @Test
    void unpacksLikeTheNpmPackageAndLaunches(@TempDir Path tmp) throws Exception {
        Path layer = layerDir();
        assertTrue(Files.isRegularFile(layer.resolve("chromium.br")),
                "run scripts/package-lambda.sh --npm-only first: no " + layer.resolve("chromium.br"));
        Path root = tmp.resolve("lambda-tmp");

        SparticuzChromium.Unpacked first = SparticuzChromium.install(layer, root, null);
        SparticuzChromium.Unpacked second = SparticuzChromium.install(layer, root, null);

        Path exe = first.install().executable();
        assertEquals(root.resolve("chromium"), exe);
        assertTrue(Files.isExecutable(exe));
        assertTrue(Files.size(exe) > 100_000_000L, "chromium binary too small: " + Files.size(exe));
        assertTrue(Files.isRegularFile(root.resolve("libvk_swiftshader.so")), "SwiftShader must sit next to the binary");
        assertTrue(Files.isRegularFile(root.resolve("vk_swiftshader_icd.json")));
        assertTrue(Files.isRegularFile(root.resolve("al2023/lib/libnss3.so")));
        assertTrue(Files.isRegularFile(root.resolve("fonts/fonts/Open_Sans/OpenSans-Regular.ttf")));
        String conf = Files.readString(root.resolve("fonts/fonts.conf"));
        assertTrue(conf.contains("<dir>" + root.resolve("fonts").toAbsolutePath() + "</dir>"), conf);
        assertFalse(conf.contains("<dir>/tmp/fonts</dir>"), conf);
        try (var files = Files.list(root)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "temp binary left behind");
        }
        assertFalse(first.alreadyUnpacked());
        assertTrue(second.alreadyUnpacked());
        assertTrue(second.durationMillis() < first.durationMillis());
        Map<String, String> env = first.install().env();
        assertTrue(env.get("LD_LIBRARY_PATH").startsWith(root.resolve("al2023/lib").toString()));
        assertEquals(root.resolve("fonts").toString(), env.get("FONTCONFIG_PATH"));
        assertEquals(root.toString(), env.get("HOME"));

        Path page = tmp.resolve("page.html");
        Files.writeString(page, "<html><body style='margin:0;background:#fff'>"
                + "<div id=o style='font:bold 64px \"Open Sans\";color:#000'>static</div>"
                + "<script>document.getElementById('o').textContent='js-ran-' + (6 * 7)</script></body></html>");
        try (CdpBrowser browser = CdpBrowser.launch(first.install(), SparticuzChromium.recommendedArgs(true), tmp)) {
            assertTrue(browser.get("/json/version").contains("HeadlessChrome/153."), browser.get("/json/version"));
            CdpBrowser.Session session = browser.open(page.toUri().toString());
            awaitLoaded(session);
            assertEquals("js-ran-42", session.eval("document.getElementById('o').textContent"));
            int dark = darkPixels(session);
            // Text drawn with the bundled Open Sans: the bundle's fonts.conf is the only font config it has.
            assertTrue(dark > 500, "dark pixels in the screenshot: " + dark + "\n" + browser.stderr());
        }

        // Control: the same page with fontconfig pointed at a config without fonts draws no text at all,
        // which is why fonts.conf must name the directory the fonts were really unpacked to.
        Path noFonts = Files.createDirectories(tmp.resolve("no-fonts"));
        Files.writeString(noFonts.resolve("fonts.conf"), "<?xml version=\"1.0\"?><fontconfig><dir>"
                + noFonts.resolve("empty") + "</dir></fontconfig>");
        Map<String, String> controlEnv = new java.util.HashMap<>(first.install().env());
        controlEnv.put("FONTCONFIG_PATH", noFonts.toString());
        Path controlScratch = Files.createDirectories(tmp.resolve("control"));
        try (CdpBrowser browser = CdpBrowser.launch(new ChromiumInstall(exe, controlEnv),
                SparticuzChromium.recommendedArgs(true), controlScratch)) {
            CdpBrowser.Session session = browser.open(page.toUri().toString());
            awaitLoaded(session);
            assertEquals("js-ran-42", session.eval("document.getElementById('o').textContent"));
            int dark = darkPixels(session);
            assertTrue(dark < 50, "without fonts nothing should be drawn, got dark pixels: " + dark);
        }
    }

    private static void awaitLoaded(CdpBrowser.Session session) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LAUNCH_DEADLINE_SECONDS);
        // the target opens on about:blank, which is "complete" before the page's own document replaces it: wait
        // for the page's document (a clean-clone run read textContent of about:blank and got null)
        while (!"true".equals(session.eval("document.readyState === 'complete' && location.protocol === 'file:'"))
                && System.nanoTime() < deadline) {
            session.eval("new Promise(r => setTimeout(r, 50))");
        }
        session.eval("document.fonts.ready.then(() => 'ok')");
    }

    private static int darkPixels(CdpBrowser.Session session) throws Exception {
        String png = (String) session.send("Page.captureScreenshot",
                "{\"format\":\"png\",\"clip\":{\"x\":0,\"y\":0,\"width\":400,\"height\":120,\"scale\":1}}")
                .get("data");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png)));
        int dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xff) < 64 && ((rgb >> 8) & 0xff) < 64 && (rgb & 0xff) < 64) {
                    dark++;
                }
            }
        }
        return dark;
    }

    @Test
    void missingArchiveIsBrowserUnavailableNamingTheFile(@TempDir Path tmp) {
        RenderException e = assertThrows(RenderException.class,
                () -> SparticuzChromium.install(tmp.resolve("no-layer"), tmp.resolve("root"), null));
        assertEquals(ErrorCode.BROWSER_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("no-layer/swiftshader.tar.br"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("root/chromium")));
    }

    @Test
    void fontsConfIsPointedAtTheRealDirectory(@TempDir Path tmp) throws IOException {
        Path fonts = tmp.resolve("fonts");
        Files.createDirectories(fonts);
        Files.writeString(fonts.resolve("fonts.conf"),
                "<fontconfig>\n  <dir>/opt/fonts</dir>\n  <dir>/tmp/fonts</dir>\n"
                        + "  <cachedir>/tmp/fonts-cache/</cachedir>\n</fontconfig>\n");

        SparticuzChromium.pointFontsConfAt(fonts);

        assertEquals("<fontconfig>\n  <dir>/opt/fonts</dir>\n  <dir>" + fonts.toAbsolutePath() + "</dir>\n"
                + "  <cachedir>" + fonts.toAbsolutePath() + "-cache/</cachedir>\n</fontconfig>\n",
                Files.readString(fonts.resolve("fonts.conf")));
    }

    @Test
    void graphicsFlagsOnlyWhenAsked() {
        assertTrue(SparticuzChromium.recommendedArgs(true).contains("--use-angle=swiftshader"));
        assertFalse(SparticuzChromium.recommendedArgs(false).contains("--use-angle=swiftshader"));
        assertTrue(SparticuzChromium.recommendedArgs(false).contains("--disable-webgl"));
        assertTrue(SparticuzChromium.recommendedArgs(true).contains("--headless=shell"));
    }
}
