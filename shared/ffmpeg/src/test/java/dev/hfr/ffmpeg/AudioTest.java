package dev.hfr.ffmpeg;

import org.junit.jupiter.api.Tag;

import dev.hfr.ffmpeg.internal.ProcessRunner;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plan-time mix and its mux at assembly: length, placement, level, and chunked == single-pass. */
@Tag("integration")
class AudioTest {
    private static final double AAC_FRAME = 1024.0 / 48_000;
    private static FfmpegTools tools;
    private static List<byte[]> jpegs;

    @TempDir
    static Path shared;
    private static Path tone;
    private static Path mix;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        tools = TestMedia.tools();
        jpegs = TestMedia.jpegScenes(60);
        tone = shared.resolve("tone.wav");
        // 1 s of 440 Hz at lavfi's default amplitude 1/8 (about -21 dBFS RMS)
        ProcessRunner.Result r = ProcessRunner.run(List.of(tools.ffmpeg().toString(), "-v", "error", "-f", "lavfi",
                "-i", "sine=frequency=440:sample_rate=48000:duration=1", "-ac", "2", tone.toString()),
                Duration.ofMinutes(1), ErrorCode.INTERNAL_ERROR);
        assertTrue(r.ok(), r.stderr());
        mix = shared.resolve("mix.m4a");
        AudioMixer.mix(tools, List.of(new AudioMixer.AudioClip(tone, 0.5, 0, null, 0.5, 1)), 2.0, mix);
    }

    @Test
    void mixIsAacOfTheTotalLengthWithTheClipAtItsOffsetAndVolume() {
        MediaInfo info = MediaProbe.probe(tools, mix);
        assertEquals("aac", info.audioCodec());
        assertEquals(48_000, info.sampleRate());
        assertEquals(2, info.channels());
        assertFalse(info.hasVideo());
        assertEquals(2.0, info.audioDurationSeconds(), AAC_FRAME, "mix duration");

        double toneDb = Quality.audioRmsDbfs(tools, tone, 0.1, 0.8);
        double before = Quality.audioRmsDbfs(tools, mix, 0.0, 0.48);
        double during = Quality.audioRmsDbfs(tools, mix, 0.6, 0.8);
        double after = Quality.audioRmsDbfs(tools, mix, 1.53, 0.45);
        System.out.printf("[audio] tone %.2f dBFS; mix before %.1f, during %.2f, after %.1f%n", toneDb, before, during,
                after);
        assertTrue(before < -70, "silence before the offset: " + before);
        assertTrue(after < -70, "silence after the clip: " + after);
        assertEquals(toneDb - 6.02, during, 0.3, "volume 0.5 is -6 dB");
        // onset: the 20 ms just before the offset are silent, the 20 ms just after are not
        assertTrue(Quality.audioRmsDbfs(tools, mix, 0.475, 0.02) < -50);
        assertTrue(Quality.audioRmsDbfs(tools, mix, 0.505, 0.02) > toneDb - 9);
    }

    @Test
    void addingAClipElsewhereDoesNotChangeAnotherClipsLevel() {
        Path one = dir.resolve("one.m4a");
        Path three = dir.resolve("three.m4a");
        AudioMixer.mix(tools, List.of(AudioMixer.AudioClip.at(tone, 0)), 3.0, one);
        AudioMixer.mix(tools, List.of(AudioMixer.AudioClip.at(tone, 0), AudioMixer.AudioClip.at(tone, 1.5),
                new AudioMixer.AudioClip(tone, 2.2, 0.2, 0.5, 0.1, 1)), 3.0, three);
        double alone = Quality.audioRmsDbfs(tools, one, 0.1, 0.8);
        double withOthers = Quality.audioRmsDbfs(tools, three, 0.1, 0.8);
        assertEquals(alone, withOthers, 0.1, "amix must not divide by the number of inputs");
        assertEquals(Quality.audioRmsDbfs(tools, tone, 0.1, 0.8), alone, 0.3);
        assertEquals(3.0, MediaProbe.probe(tools, three).audioDurationSeconds(), AAC_FRAME);
    }

    @Test
    void mediaStartAndPlaybackRateShortenTheClip() {
        Path out = dir.resolve("fast.m4a");
        // 0.2 s into the tone, double speed, for 0.3 s of timeline = 0.6 s of media
        AudioMixer.mix(tools, List.of(new AudioMixer.AudioClip(tone, 0.25, 0.2, 0.3, 1, 2)), 1.0, out);
        assertTrue(Quality.audioRmsDbfs(tools, out, 0.3, 0.2) > -30);
        assertTrue(Quality.audioRmsDbfs(tools, out, 0.6, 0.35) < -60, "clip must end at 0.55 s");
    }

    @Test
    void noClipsIsSilenceOfTheTotalLength() {
        Path out = dir.resolve("silence.m4a");
        AudioMixer.mix(tools, List.of(), 1.5, out);
        assertEquals(1.5, MediaProbe.probe(tools, out).audioDurationSeconds(), AAC_FRAME);
        assertEquals(Quality.SILENCE_DBFS, Quality.audioRmsDbfs(tools, out, 0, 1.5));
    }

    @Test
    void missingSourceIsAudioMixFailedNamingIt() {
        Path out = dir.resolve("x.m4a");
        RenderException e = assertThrows(RenderException.class, () -> AudioMixer.mix(tools,
                List.of(AudioMixer.AudioClip.at(dir.resolve("gone.wav"), 0)), 1.0, out));
        assertEquals(ErrorCode.AUDIO_MIX_FAILED, e.code());
        assertTrue(e.getMessage().contains("gone.wav"));
        Path textFile = dir.resolve("text.wav");
        RenderException bad = assertThrows(RenderException.class, () -> {
            Files.writeString(textFile, "not audio");
            AudioMixer.mix(tools, List.of(AudioMixer.AudioClip.at(textFile, 0)), 1.0, out);
        });
        assertEquals(ErrorCode.AUDIO_MIX_FAILED, bad.code());
        assertTrue(bad.getMessage().contains("text.wav"), bad.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void chunkedMuxEqualsSinglePassMux() throws Exception {
        Path single = muxed(1, mix, OutputFormat.MP4, "single");
        Path chunked = muxed(4, mix, OutputFormat.MP4, "chunked");
        MediaInfo info = MediaProbe.probe(tools, chunked);
        assertEquals(60, info.frameCount());
        assertEquals("aac", info.audioCodec());
        assertEquals(2.0, info.audioDurationSeconds(), AAC_FRAME);
        String head = new String(Files.readAllBytes(chunked), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(head.indexOf("moov") < head.indexOf("mdat"), "+faststart puts the index first");
        double residual = Quality.audioResidualDbfs(tools, single, chunked);
        double vsMix = Quality.audioResidualDbfs(tools, mix, chunked);
        System.out.printf("[audio] residual chunked vs single %.1f dBFS, vs mix %.1f dBFS%n", residual, vsMix);
        assertTrue(residual <= -50, "residual " + residual);
        assertTrue(vsMix <= -50, "the mux must not shift the audio: " + vsMix);
        // a shifted copy is far from silent: the metric can fail
        Path shifted = dir.resolve("shifted.m4a");
        AudioMixer.mix(tools, List.of(new AudioMixer.AudioClip(tone, 0.51, 0, null, 0.5, 1)), 2.0, shifted);
        assertTrue(Quality.audioResidualDbfs(tools, mix, shifted) > -40);
    }

    @Test
    void shortAudioIsPaddedAndLongAudioTrimmedToTheVideo() throws Exception {
        Path shortMix = dir.resolve("short.m4a");
        AudioMixer.mix(tools, List.of(AudioMixer.AudioClip.at(tone, 0)), 1.2, shortMix);
        Path padded = muxed(2, shortMix, OutputFormat.MP4, "padded");
        assertEquals(2.0, MediaProbe.probe(tools, padded).audioDurationSeconds(), AAC_FRAME);
        Path longMix = dir.resolve("long.m4a");
        AudioMixer.mix(tools, List.of(AudioMixer.AudioClip.at(tone, 0)), 3.0, longMix);
        Path trimmed = muxed(2, longMix, OutputFormat.MP4, "trimmed");
        assertEquals(2.0, MediaProbe.probe(tools, trimmed).audioDurationSeconds(), AAC_FRAME);
    }

    @Test
    void webmGetsOpusOfTheVideoLength() throws Exception {
        List<byte[]> pngs = TestMedia.pngScenes(30, true);
        List<Path> chunks = TestMedia.encodeChunks(tools, pngs, TestMedia.vp9(), OutputFormat.WEBM, 2,
                Files.createDirectories(dir.resolve("webm-chunks")));
        Path out = dir.resolve("out.webm");
        Path oneSecond = dir.resolve("one-second.m4a");
        AudioMixer.mix(tools, List.of(AudioMixer.AudioClip.at(tone, 0.25)), 1.0, oneSecond);
        AssembleStats stats = Assembler.assemble(tools, chunks, oneSecond, OutputFormat.WEBM, 30, 30, out);
        assertFalse(stats.audioCopied());
        MediaInfo info = MediaProbe.probe(tools, out);
        assertEquals("opus", info.audioCodec());
        assertEquals(30, info.frameCount());
        assertEquals(1.0, info.durationSeconds(), 0.03);
        Path frames = dir.resolve("frames");
        AssembleStats seq = Assembler.assemble(tools, TestMedia.encodeChunks(tools, pngs, TestMedia.pngSequence(),
                OutputFormat.PNG_SEQUENCE, 2, Files.createDirectories(dir.resolve("seq"))), oneSecond,
                OutputFormat.PNG_SEQUENCE, 30, 30, frames);
        assertTrue(seq.hasAudio());
        assertTrue(Files.exists(frames.resolve("audio.m4a")));
        assertEquals(30, MediaProbe.frameCount(tools, frames));
    }

    private Path muxed(int chunks, Path audio, OutputFormat format, String name) throws Exception {
        List<Path> paths = TestMedia.encodeChunks(tools, jpegs, TestMedia.x264("ultrafast", 23), format, chunks,
                Files.createDirectories(dir.resolve(name + "-chunks")));
        Path out = dir.resolve(name + format.extension());
        AssembleStats stats = Assembler.assemble(tools, paths, audio, format, 30, 60, out);
        assertTrue(stats.hasAudio());
        assertEquals(60, stats.frames());
        return out;
    }
}
