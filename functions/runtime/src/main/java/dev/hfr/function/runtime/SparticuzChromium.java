package dev.hfr.function.runtime;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.brotli.dec.BrotliInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unpacks the Chromium that npm {@code @sparticuz/chromium} ships (the four Brotli archives in its
 * {@code bin/}, deployed as a Lambda layer) the way that package does at cold start, in Java.
 *
 * <p>The traps it avoids (measured, see lambda-chromium-notes.md): SwiftShader must sit next to the binary
 * or the browser dies with SIGTRAP; the bundled {@code fonts.conf} names {@code /tmp/fonts}, so fonts
 * unpacked anywhere else draw no text at all unless the file is rewritten; and a half-written binary from an
 * interrupted cold start must not look finished, so the binary is written under a temporary name, renamed
 * last, and its presence is the "already unpacked" marker.
 */
public final class SparticuzChromium {
    /** Env var selecting this source: {@code HFR_CHROME_SOURCE=sparticuz}. */
    public static final String SOURCE_ENV = "HFR_CHROME_SOURCE";
    /** Env var naming the directory that holds the four {@code .br} files; default {@value #DEFAULT_LAYER_DIR}. */
    public static final String LAYER_DIR_ENV = "HFR_CHROMIUM_LAYER_DIR";
    /** Env var naming where to unpack; default {@value #DEFAULT_ROOT} (the only writable place on Lambda). */
    public static final String ROOT_ENV = "HFR_CHROMIUM_ROOT";
    public static final String DEFAULT_LAYER_DIR = "/opt/chromium";
    public static final String DEFAULT_ROOT = "/tmp";
    static final String FONTS_DIR_IN_CONF = "/tmp/fonts";

    private static final int BUFFER_BYTES = 1 << 16;

    private SparticuzChromium() {
    }

    /** Result of {@link #install}: what was unpacked and how long it took. */
    public record Unpacked(ChromiumInstall install, boolean alreadyUnpacked, long durationMillis) {
    }

    /** True when the environment asks for this Chromium source. */
    public static boolean selected(Map<String, String> env) {
        return "sparticuz".equalsIgnoreCase(env.getOrDefault(SOURCE_ENV, ""));
    }

    /** Unpacks from {@code HFR_CHROMIUM_LAYER_DIR} (default /opt/chromium) to {@code HFR_CHROMIUM_ROOT} (default /tmp). */
    public static Unpacked installFromEnvironment(Map<String, String> env) {
        return install(Path.of(env.getOrDefault(LAYER_DIR_ENV, DEFAULT_LAYER_DIR)),
                Path.of(env.getOrDefault(ROOT_ENV, DEFAULT_ROOT)), env.get("LD_LIBRARY_PATH"));
    }

    /**
     * Unpacks the archives in {@code layerDir} into {@code root} unless {@code root/chromium} already exists
     * (a warm container, or a SnapStart restore whose /tmp came with the snapshot). The browser's library path is
     * the bundled NSS, then {@code inheritedLdLibraryPath} (the function's own LD_LIBRARY_PATH, or null).
     *
     * @throws RenderException BROWSER_UNAVAILABLE naming the missing archive or the I/O failure
     */
    public static Unpacked install(Path layerDir, Path root, String inheritedLdLibraryPath) {
        long t0 = System.nanoTime();
        Path executable = root.resolve("chromium");
        boolean already = Files.isExecutable(executable);
        if (!already) {
            try {
                Files.createDirectories(root);
                // SwiftShader, fonts and NSS first, the binary last: its presence means "all unpacked".
                untar(archive(layerDir, "swiftshader.tar.br"), root);
                Path fonts = root.resolve("fonts");
                untar(archive(layerDir, "fonts.tar.br"), fonts);
                pointFontsConfAt(fonts);
                untar(archive(layerDir, "al2023.tar.br"), root.resolve("al2023"));
                Path partial = root.resolve("chromium." + ProcessHandle.current().pid() + ".partial");
                try (InputStream in = brotli(archive(layerDir, "chromium.br"));
                     OutputStream out = Files.newOutputStream(partial)) {
                    in.transferTo(out);
                }
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwx------"));
                Files.move(partial, executable, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "cannot unpack @sparticuz/chromium from "
                        + layerDir + " into " + root + ": " + e, e);
            }
        }
        ChromiumInstall install = new ChromiumInstall(executable, environment(root, inheritedLdLibraryPath));
        return new Unpacked(install, already, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The environment the browser process needs: the bundled NSS first on the library path (Amazon Linux
     * 2023 has none), the bundled fonts, and a writable HOME.
     */
    public static Map<String, String> environment(Path root, String inheritedLdLibraryPath) {
        Map<String, String> env = new LinkedHashMap<>();
        String lib = root.resolve("al2023").resolve("lib").toString();
        env.put("LD_LIBRARY_PATH", inheritedLdLibraryPath == null || inheritedLdLibraryPath.isBlank()
                ? lib : lib + ":" + inheritedLdLibraryPath);
        env.put("FONTCONFIG_PATH", root.resolve("fonts").toString());
        env.put("HOME", root.toString());
        return env;
    }

    /**
     * The arguments {@code @sparticuz/chromium} 153 recommends ({@code chromium.args}), with {@code --headless=shell}
     * unquoted. With {@code graphics=false} the SwiftShader GL flags give way to {@code --disable-webgl}; they
     * roughly double per-frame capture time, so the browser module may prefer that when no WebGL is used.
     */
    public static List<String> recommendedArgs(boolean graphics) {
        List<String> gl = graphics
                ? List.of("--ignore-gpu-blocklist", "--in-process-gpu", "--use-gl=angle", "--use-angle=swiftshader",
                        "--enable-unsafe-swiftshader")
                : List.of("--disable-webgl");
        List<String> common = List.of("--ash-no-nudges", "--disable-domain-reliability", "--disable-print-preview",
                "--disk-cache-size=33554432", "--no-default-browser-check", "--no-pings", "--single-process",
                "--font-render-hinting=none",
                "--disable-features=AudioServiceOutOfProcess,IsolateOrigins,site-per-process",
                "--enable-features=SharedArrayBuffer");
        List<String> tail = List.of("--allow-running-insecure-content", "--disable-setuid-sandbox",
                "--disable-site-isolation-trials", "--disable-web-security", "--headless=shell", "--no-sandbox",
                "--no-zygote");
        return java.util.stream.Stream.of(common, gl, tail).flatMap(List::stream).toList();
    }

    /** The bundled fonts.conf names /tmp/fonts; when unpacked elsewhere, point it at the real directory. */
    static void pointFontsConfAt(Path fontsDir) throws IOException {
        Path conf = fontsDir.resolve("fonts.conf");
        if (!Files.isRegularFile(conf) || fontsDir.toAbsolutePath().toString().equals(FONTS_DIR_IN_CONF)) {
            return;
        }
        String text = Files.readString(conf, StandardCharsets.UTF_8);
        String abs = fontsDir.toAbsolutePath().toString();
        String rewritten = text.replace("<dir>" + FONTS_DIR_IN_CONF + "</dir>", "<dir>" + abs + "</dir>")
                .replace("<cachedir>/tmp/fonts-cache/</cachedir>", "<cachedir>" + abs + "-cache/</cachedir>");
        Files.writeString(conf, rewritten, StandardCharsets.UTF_8);
    }

    private static Path archive(Path layerDir, String name) {
        Path p = layerDir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "HFR_CHROME_SOURCE=sparticuz but " + p
                    + " is missing: expected the @sparticuz/chromium layer (bin/*.br) in " + layerDir
                    + " (set " + LAYER_DIR_ENV + " to its directory)");
        }
        return p;
    }

    private static InputStream brotli(Path p) throws IOException {
        return new BrotliInputStream(new BufferedInputStream(Files.newInputStream(p), BUFFER_BYTES), BUFFER_BYTES);
    }

    private static void untar(Path archive, Path dest) throws IOException {
        Files.createDirectories(dest);
        Path destAbs = dest.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(brotli(archive))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = destAbs.resolve(e.getName()).normalize();
                if (!target.startsWith(destAbs)) {
                    throw new IOException("unsafe entry " + e.getName() + " in " + archive);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                if (!e.isFile()) {
                    continue; // the archives hold only files and directories; ignore anything else
                }
                Files.createDirectories(target.getParent());
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                if ((e.getMode() & 0100) != 0) {
                    target.toFile().setExecutable(true, false);
                }
            }
        }
    }
}
