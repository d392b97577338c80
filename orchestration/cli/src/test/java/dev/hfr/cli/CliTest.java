package dev.hfr.cli;

import org.junit.jupiter.api.Tag;

import dev.hfr.ffmpeg.FfmpegTools;
import dev.hfr.ffmpeg.MediaProbe;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hf command line: options, exit codes and messages, run in-process. */
@Tag("integration")
class CliTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    static synchronized Result hf(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Hf.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path repo() {
        Path p = Paths.get(System.getProperty("hfr.repo.root", ".")).toAbsolutePath().normalize();
        while (!Files.isDirectory(p.resolve("examples/hello"))) {
            p = p.getParent();
        }
        return p;
    }

    @Test
    void rendersWithFlagsAndPrintsASummary() throws Exception {
        Path out = tmp.resolve("hello.mp4");
        Result r = hf("render", repo().resolve("examples/hello").toString(), "-o", out.toString(), "--quiet",
                "--chunk-size", "20", "--workers", "2", "--quality", "draft", "--var", "name=\"Ada\"", "--contact-sheet");
        assertEquals(0, r.exit(), r.err());
        assertEquals(60, MediaProbe.frameCount(FfmpegTools.locate(System.getenv()), out));
        assertTrue(r.err().contains("planned 60 frames (640x360 @ 30 fps, mp4) in 3 chunks"), r.err());
        assertTrue(r.err().contains("progress 100%: frames 60/60, chunks 3/3"), r.err());
        assertTrue(r.err().contains("done: " + out), r.err());
        assertTrue(r.err().contains("effective"), r.err());
        Path sheet = tmp.resolve("hello.mp4.contact.png");
        assertTrue(Files.isRegularFile(sheet), "contact sheet");
        assertTrue(ImageIO.read(sheet.toFile()).getWidth() > 4 * 320, "a 4-column grid");
    }

    @Test
    void jsonProgressIsMachineReadable() throws Exception {
        Path out = tmp.resolve("hello.webm");
        Result r = hf("render", repo().resolve("examples/hello").toString(), "-o", out.toString(), "--json",
                "--quality", "draft");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("{\"event\":\"done\"") && l.contains("\"format\":\"webm\"")),
                r.err());
        assertEquals("vp9", MediaProbe.probe(FfmpegTools.locate(System.getenv()), out).videoCodec());
    }

    @Test
    void badConfigExitsTwoAndNamesEveryField() {
        Path out = tmp.resolve("x.mp4");
        Result r = hf("render", repo().resolve("examples/hello").toString(), "-o", out.toString(), "--fps", "121",
                "--crf", "70", "--width", "641");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("INVALID_CONFIG"), r.err());
        assertTrue(r.err().contains("fps: got 121") && r.err().contains("crf: got 70") && r.err().contains("width: got 641"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void fontPolicyFlagReachesTheConfigAndIsValidated() {
        Path out = tmp.resolve("f.mp4");
        Result r = hf("render", repo().resolve("examples/hello").toString(), "-o", out.toString(), "--font-policy", "loose");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("fontPolicy: got \"loose\""), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void missingProjectExitsTwo() {
        Result r = hf("render", tmp.resolve("nope").toString(), "-o", tmp.resolve("x.mp4").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("PROJECT_NOT_FOUND") && r.err().contains("nope"), r.err());
    }

    @Test
    void unknownOutputExtensionExitsTwo() {
        Result r = hf("render", repo().resolve("examples/hello").toString(), "-o", tmp.resolve("x.gif").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("x.gif"), r.err());
    }

    @Test
    void traversalArchiveExitsTwoAndWritesNothing() throws Exception {
        Path archive = tmp.resolve("evil.tar.gz");
        try (OutputStream os = Files.newOutputStream(archive);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(os);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            byte[] html = "<html></html>".getBytes(StandardCharsets.UTF_8);
            for (String name : new String[]{"index.html", "../escape.txt"}) {
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(html.length);
                tar.putArchiveEntry(e);
                tar.write(html);
                tar.closeArchiveEntry();
            }
        }
        Path out = tmp.resolve("x.mp4");
        Result r = hf("render", archive.toString(), "-o", out.toString(), "--work-dir", tmp.resolve("w").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("PROJECT_ARCHIVE_INVALID") && r.err().contains("escape.txt"), r.err());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(tmp.resolve("escape.txt")));
    }

    @Test
    void unknownOptionExitsTwoWithUsageHint() {
        Result r = hf("render", repo().resolve("examples/hello").toString(), "-o", tmp.resolve("x.mp4").toString(),
                "--frobnicate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown option: '--frobnicate'") && r.err().contains("hf render --help"), r.err());
    }

    @Test
    void previewWritesTheRequestedFrame() throws Exception {
        Path png = tmp.resolve("f.png");
        Result r = hf("preview", repo().resolve("examples/hello").toString(), "--time", "1.5", "-o", png.toString());
        assertEquals(0, r.exit(), r.err());
        var img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        // the orange box has moved three quarters of the way: x = 40 + 480 * 0.75 = 400 .. 480
        int p = img.getRGB(440, 180);
        assertTrue(((p >> 16) & 255) > 200 && ((p >> 8) & 255) > 80 && (p & 255) < 80, Integer.toHexString(p));
        Result bad = hf("preview", repo().resolve("examples/hello").toString(), "--frame", "600", "-o", png.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("frame 600"), bad.err());
    }

    @Test
    void validateListsProblems() throws Exception {
        Result ok = hf("validate", repo().resolve("examples/hello").toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("index.html"), "<html><body><div data-width=\"x\">"
                + "<script src=\"https://cdn.example.invalid/a.js\"></script></div></body></html>");
        Result r = hf("validate", broken.toString());
        assertEquals(2, r.exit());
        assertTrue(r.out().contains("data-composition-id"), r.out());
        assertTrue(r.out().contains("https://cdn.example.invalid/a.js"), r.out());
    }

    @Test
    void stepCommandsReproduceACloudRenderLocally() throws Exception {
        Path prefix = tmp.resolve("render");
        Result plan = hf("plan", "--project", repo().resolve("examples/hello").toString(), "--prefix", prefix.toString(),
                "--chunk-size", "30");
        assertEquals(0, plan.exit(), plan.err());
        String json = plan.out().trim();
        assertTrue(json.contains("\"ChunkCount\":2"), json);
        String hash = json.replaceAll(".*\"PlanHash\":\"([0-9a-f]{64})\".*", "$1");
        String manifest = prefix.resolve("plan/manifest.json").toString();
        for (int i = 0; i < 2; i++) {
            Result c = hf("render-chunk", "--manifest", manifest, "--plan-hash", hash, "--chunk", Integer.toString(i));
            assertEquals(0, c.exit(), c.err());
            assertTrue(c.out().contains("\"ChunkIndex\":" + i), c.out());
        }
        Path out = tmp.resolve("steps.mp4");
        Path event = tmp.resolve("assemble.json");
        Files.writeString(event, "{\"Payload\":{\"Action\":\"assemble\",\"PlanManifestS3Uri\":\"" + manifest
                + "\",\"PlanHash\":\"" + hash + "\",\"OutputS3Uri\":\"" + out + "\"}}");
        Result a = hf("assemble", "--event", event.toString());
        assertEquals(0, a.exit(), a.err());
        assertEquals(60, MediaProbe.frameCount(FfmpegTools.locate(System.getenv()), out));
        Result wrong = hf("render-chunk", "--manifest", manifest, "--plan-hash", "0".repeat(64), "--chunk", "0");
        assertEquals(3, wrong.exit());
        assertTrue(wrong.err().contains("PLAN_HASH_MISMATCH"), wrong.err());
        Result range = hf("render-chunk", "--manifest", manifest, "--plan-hash", hash, "--chunk", "5");
        assertEquals(3, range.exit());
        assertTrue(range.err().contains("CHUNK_INDEX_OUT_OF_RANGE"), range.err());
    }
}
