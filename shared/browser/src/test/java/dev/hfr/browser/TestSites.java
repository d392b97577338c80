package dev.hfr.browser;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Copies a test site from src/test/resources/sites/NAME into a temp dir, with the real GSAP next to it. */
final class TestSites {
    static final int W = 320;
    static final int H = 180;

    private TestSites() {
    }

    static Path gsap() {
        String root = System.getProperty("hfr.repo.root", System.getenv().getOrDefault("HFR_REPO_ROOT", "/work/main"));
        String cache = System.getenv("HFR_ASSET_CACHE");
        // a worktree or bare clone has no .cache of its own: HFR_ASSET_CACHE names the shared one
        Path p = cache != null && !cache.isBlank()
                ? Path.of(cache, "npm/gsap@3.12.2/dist/gsap.min.js")
                : Path.of(root, ".cache/assets/npm/gsap@3.12.2/dist/gsap.min.js");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run scripts/fetch-assets.sh (or npm pack gsap@3.12.2 "
                    + "and extract the package into .cache/assets/npm/gsap@3.12.2/)");
        }
        return p;
    }

    static Path copy(String name, Path into) {
        try {
            URL url = TestSites.class.getResource("/sites/" + name);
            Path src = Path.of(url.toURI());
            Path dst = into.resolve(name);
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path target = dst.resolve(src.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.createDirectories(dst.resolve("lib"));
            Files.copy(gsap(), dst.resolve("lib/gsap.min.js"), StandardCopyOption.REPLACE_EXISTING);
            return dst;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Short timeouts keep failing tests fast; real renders use the defaults. */
    static BrowserOptions options() {
        return BrowserOptions.defaults().withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(2));
    }

    static BufferedImage decode(byte[] bytes) {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            BufferedImage img = ImageIO.read(in);
            if (img == null) {
                throw new IllegalStateException("not an image (" + bytes.length + " bytes)");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean RGB of a size x size patch at (x, y), as {r, g, b}. */
    static int[] patch(BufferedImage img, int x, int y, int size) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                int rgb = img.getRGB(x + i, y + j);
                r += (rgb >> 16) & 0xff;
                g += (rgb >> 8) & 0xff;
                b += rgb & 0xff;
            }
        }
        int n = size * size;
        return new int[] {(int) (r / n), (int) (g / n), (int) (b / n)};
    }

    static boolean near(int[] actual, int r, int g, int b, int tolerance) {
        return Math.abs(actual[0] - r) <= tolerance && Math.abs(actual[1] - g) <= tolerance
                && Math.abs(actual[2] - b) <= tolerance;
    }

    static String rgb(int[] c) {
        return "rgb(" + c[0] + "," + c[1] + "," + c[2] + ")";
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
