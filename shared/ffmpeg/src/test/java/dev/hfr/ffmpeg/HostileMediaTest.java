package dev.hfr.ffmpeg;

import org.junit.jupiter.api.Tag;

import dev.hfr.ffmpeg.internal.ProcessRunner;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 3: a project "video" that is really a playlist naming a file outside the project. Probe, frame
 * extraction and audio mix each refuse it with MEDIA_NOT_ALLOWED, and the outside file's colour never appears.
 */
@Tag("integration")
class HostileMediaTest {
    /** The outside file's distinctive colour (magenta) and a tone. */
    private static final String SECRET_COLOUR = "0xff00ff";

    @TempDir
    static Path shared;
    private static FfmpegTools tools;
    private static Path secret;
    private static Path hls;
    private static Path ffconcat;

    @BeforeAll
    static void hostileProject() throws IOException {
        tools = TestMedia.tools();
        secret = shared.resolve("outside/secret.ts");
        Files.createDirectories(secret.getParent());
        ProcessRunner.Result made = ProcessRunner.run(List.of(tools.ffmpeg().toString(), "-v", "error", "-y",
                "-f", "lavfi", "-i", "color=c=" + SECRET_COLOUR + ":s=64x36:r=30:d=1",
                "-f", "lavfi", "-i", "sine=f=440:d=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-shortest", "-f", "mpegts", secret.toString()), Duration.ofSeconds(60), ErrorCode.ENCODE_FAILED);
        assertTrue(made.ok(), made.stderr());
        Path assets = shared.resolve("project/assets");
        Files.createDirectories(assets);
        hls = assets.resolve("clip.mp4");
        Files.writeString(hls, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n"
                + secret.toUri() + "\n#EXT-X-ENDLIST\n");
        ffconcat = assets.resolve("list.webm");
        Files.writeString(ffconcat, "ffconcat version 1.0\nfile '" + secret + "'\nduration 1\n");
    }

    private static boolean isSecretColour(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return r > 200 && g < 60 && b > 200;
    }

    @Test
    void theHostileFileReallyReadsTheOutsideFileWithoutOurRules() throws IOException {
        // Control: plain "ffmpeg -i" (what every call used to run) follows the playlist to the outside file.
        Path frame = shared.resolve("control.png");
        ProcessRunner.Result r = ProcessRunner.run(List.of(tools.ffmpeg().toString(), "-v", "error", "-y",
                "-i", hls.toString(), "-frames:v", "1", frame.toString()), Duration.ofSeconds(60),
                ErrorCode.VIDEO_EXTRACTION_FAILED);
        assertTrue(r.ok(), r.stderr());
        BufferedImage img = ImageIO.read(frame.toFile());
        assertTrue(isSecretColour(img.getRGB(32, 18)), "the control must show the outside colour");
    }

    @Test
    void probeRefusesPlaylistsNamingTheFile() {
        for (Path p : List.of(hls, ffconcat)) {
            RenderException e = assertThrows(RenderException.class, () -> MediaProbe.probe(tools, p));
            assertEquals(ErrorCode.MEDIA_NOT_ALLOWED, e.code(), e.getMessage());
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        }
        RenderException e = assertThrows(RenderException.class,
                () -> MediaProbe.countVideoFrames(tools, hls, ErrorCode.INVALID_VIDEO_METADATA));
        assertTrue(e.code() == ErrorCode.INVALID_VIDEO_METADATA && e.getMessage().contains("whitelist"), e.getMessage());
    }

    @Test
    void frameExtractionRefusesPlaylistsAndWritesNoFrame() throws IOException {
        for (Path p : List.of(hls, ffconcat)) {
            Path out = shared.resolve("frames-" + p.getFileName());
            RenderException e = assertThrows(RenderException.class,
                    () -> VideoFrameExtractor.extract(tools, p, 0, 1, 1, 30, out, "png"));
            assertEquals(ErrorCode.MEDIA_NOT_ALLOWED, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
            try (Stream<Path> s = Files.exists(out) ? Files.list(out) : Stream.empty()) {
                assertEquals(0, s.count(), "no frame, so the outside colour cannot appear");
            }
        }
    }

    @Test
    void audioMixRefusesPlaylistsAndWritesNoTrack() {
        Path out = shared.resolve("mix.m4a");
        RenderException e = assertThrows(RenderException.class,
                () -> AudioMixer.mix(tools, List.of(AudioMixer.AudioClip.at(hls, 0)), 1.0, out));
        assertEquals(ErrorCode.MEDIA_NOT_ALLOWED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("clip.mp4"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void theWhitelistsRefuseEvenWhatTheSignatureCheckMisses() {
        // Defence in depth: ffprobe itself, with our input options, will not demux a playlist or open a URL.
        for (Path p : List.of(hls, ffconcat)) {
            RenderException e = assertThrows(RenderException.class,
                    () -> MediaProbe.probeWithoutSignatureCheck(tools, p, ErrorCode.INVALID_VIDEO_METADATA));
            assertEquals(ErrorCode.MEDIA_NOT_ALLOWED, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("not on whitelist"), e.getMessage());
        }
    }

    /**
     * Whether something opened {@code fifo} for reading while {@code action} ran: a writer blocks in open() until a
     * reader appears, so its open returning is the proof. If nobody came, the test releases the writer itself.
     */
    private static boolean openedDuring(Path fifo, Runnable action) throws Exception {
        AtomicBoolean opened = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().daemon().start(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                opened.set(true);
            } catch (IOException ignored) {
                // the reader went away first; opened already says what matters
            }
        });
        try {
            action.run();
        } catch (RenderException expected) {
            // refusals are asserted elsewhere; here only the open matters
        }
        writer.join(500);
        boolean result = opened.get();
        if (writer.isAlive()) {
            try (FileInputStream release = new FileInputStream(fifo.toFile())) {
                writer.join(5000);
            }
        }
        return result;
    }

    @Test
    void ffmpegNeverOpensTheOutsideFile() throws Exception {
        Path fifo = shared.resolve("outside/tripwire.ts");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
        Path playlist = shared.resolve("project/assets/tripwire.mp4");
        Files.writeString(playlist, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n" + fifo.toUri()
                + "\n#EXT-X-ENDLIST\n");
        // Control: the tripwire works, plain ffprobe (the old command) opens the outside file.
        assertTrue(openedDuring(fifo, () -> ProcessRunner.run(List.of(tools.ffprobe().toString(), "-v", "error",
                playlist.toString()), Duration.ofSeconds(30), ErrorCode.INVALID_VIDEO_METADATA)));
        assertFalse(openedDuring(fifo, () -> MediaProbe.probeWithoutSignatureCheck(tools, playlist,
                ErrorCode.INVALID_VIDEO_METADATA)), "ffprobe with our input options");
        assertFalse(openedDuring(fifo, () -> MediaProbe.probe(tools, playlist)), "probe");
        assertFalse(openedDuring(fifo, () -> VideoFrameExtractor.extract(tools, playlist, 0, 1, 1, 30,
                shared.resolve("tripwire-frames"), "jpg")), "frame extraction");
        assertFalse(openedDuring(fifo, () -> AudioMixer.mix(tools, List.of(AudioMixer.AudioClip.at(playlist, 0)), 1.0,
                shared.resolve("tripwire.m4a"))), "audio mix");
    }

    @Test
    void playlistSignaturesAreRecognisedAndMediaIsNot() {
        assertEquals("an HLS/M3U playlist", MediaInput.playlistKind("\ufeff  #EXTM3U\n".getBytes()));
        assertEquals("an ffconcat list", MediaInput.playlistKind("ffconcat version 1.0".getBytes()));
        assertEquals("an SDP session description", MediaInput.playlistKind("v=0\r\no=- 0 0 IN IP4 127.0.0.1".getBytes()));
        assertEquals("an XML manifest (DASH, SMIL or ASX)", MediaInput.playlistKind("<MPD xmlns=".getBytes()));
        assertEquals(null, MediaInput.playlistKind(new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}));
        assertEquals(null, MediaInput.playlistKind(new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3}));
        assertEquals(null, MediaInput.playlistKind("ID3\u0004\u0000".getBytes()));
    }
}
