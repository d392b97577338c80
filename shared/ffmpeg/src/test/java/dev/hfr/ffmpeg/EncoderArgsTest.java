package dev.hfr.ffmpeg;

import org.junit.jupiter.api.Tag;

import dev.hfr.ffmpeg.internal.Num;
import dev.hfr.model.EncoderSettings;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pure command-line builders, checked against literal argument lists. */
@Tag("integration")
class EncoderArgsTest {

    @Test
    void everySettingThePlanLocksIsResolvedAndNoOtherIsFilledIn() {
        for (String format : List.of("mp4", "webm", "mov", "png-sequence")) {
            for (String quality : List.of("draft", "standard", "high")) {
                for (String bitrate : java.util.Arrays.asList(null, "8M")) {
                    dev.hfr.model.RenderConfig c = dev.hfr.model.RenderConfig.builder().format(format).quality(quality)
                            .bitrate("png-sequence".equals(format) || "mov".equals(format) ? null : bitrate).build();
                    EncoderArgs.requireResolved(EncoderSettings.from(c.validated()));
                }
            }
        }
        for (var unresolved : java.util.Map.of(
                new EncoderSettings("libx264", "standard", "medium", null, null, "yuv420p", "jpeg", 95, null), OutputFormat.MP4,
                new EncoderSettings("libx265", "standard", null, 18, null, "yuv420p", "jpeg", 95, null), OutputFormat.MP4,
                new EncoderSettings("libvpx-vp9", "standard", null, 30, null, "yuva420p", "png", 100, null), OutputFormat.WEBM)
                .entrySet()) {
            RenderException e = assertThrows(RenderException.class,
                    () -> EncoderArgs.forChunk(unresolved.getKey(), unresolved.getValue(), 30, 30));
            assertEquals(ErrorCode.PROGRAMMING_ERROR, e.code());
            assertTrue(e.getMessage().contains("EncoderSettings.from"), e.getMessage());
        }
    }

    @Test
    void h264ChunkIsOneClosedGopWithoutBFramesTaggedBt709() {
        List<String> args = EncoderArgs.forChunk(TestMedia.x264("medium", 18), OutputFormat.MP4, 30, 45);
        assertEquals(List.of(
                "-c:v", "libx264", "-preset", "medium", "-crf", "18",
                "-g", "45", "-keyint_min", "45", "-sc_threshold", "0", "-force_key_frames", "expr:eq(n,0)", "-bf", "0",
                "-x264-params", "scenecut=0:open-gop=0:repeat-headers=1:colorprim=bt709:transfer=bt709:colormatrix=bt709",
                "-vf", EncoderArgs.JPEG_CAPTURE_TO_RGB + "scale=out_color_matrix=bt709:out_range=tv:flags=neighbor"
                        + ",pad=ceil(iw/2)*2:ceil(ih/2)*2",
                "-pix_fmt", "yuv420p", "-colorspace:v", "bt709", "-color_primaries:v", "bt709", "-color_trc:v", "bt709",
                "-color_range:v", "tv", "-video_track_timescale", "90000", "-avoid_negative_ts", "make_zero", "-an"),
                args);
    }

    @Test
    void h264UsesBitrateWhenNoCrf() {
        EncoderSettings s = new EncoderSettings("libx264", "high", "slow", null, "8M", "yuv420p", "jpeg", 95, null);
        List<String> args = EncoderArgs.forChunk(s, OutputFormat.MP4, 60, 10);
        assertEquals(List.of("-c:v", "libx264", "-preset", "slow", "-b:v", "8M", "-g", "10"), args.subList(0, 8));
    }

    @Test
    void h265ChunkLocksGopInX265ParamsAndTagsHvc1() {
        List<String> args = EncoderArgs.forChunk(TestMedia.x265(), OutputFormat.MP4, 30, 12);
        assertEquals(List.of("-c:v", "libx265", "-preset", "fast", "-crf", "18", "-force_key_frames", "expr:eq(n,0)",
                "-bf", "0", "-x265-params", "keyint=12:min-keyint=12:scenecut=0:open-gop=0:repeat-headers=1:bframes=0"
                        + ":colorprim=bt709:transfer=bt709:colormatrix=bt709:log-level=error", "-tag:v", "hvc1"),
                args.subList(0, 14));
        assertTrue(args.containsAll(List.of("-video_track_timescale", "90000", "-avoid_negative_ts", "make_zero")));
    }

    @Test
    void vp9ChunkDisablesAltRefAndKeepsAlpha() {
        List<String> args = EncoderArgs.forChunk(TestMedia.vp9(), OutputFormat.WEBM, 30, 20);
        assertEquals(List.of("-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "30", "-deadline", "good", "-cpu-used", "8",
                "-row-mt", "1", "-g", "20", "-keyint_min", "20", "-force_key_frames", "expr:eq(n,0)",
                "-auto-alt-ref", "0", "-metadata:s:v:0", "alpha_mode=1",
                "-vf", "scale=out_color_matrix=bt709:out_range=tv,pad=ceil(iw/2)*2:ceil(ih/2)*2:color=black@0",
                "-pix_fmt", "yuva420p", "-colorspace:v", "bt709", "-color_primaries:v", "bt709", "-color_trc:v", "bt709",
                "-color_range:v", "tv", "-avoid_negative_ts", "make_zero", "-an"), args);
    }

    @Test
    void vp9DraftUsesRealtimeDeadline() {
        EncoderSettings draft = new EncoderSettings("libvpx-vp9", "draft", null, 40, null, "yuva420p", "png", 100, 4);
        List<String> args = EncoderArgs.forChunk(draft, OutputFormat.WEBM, 30, 20);
        assertEquals("realtime", args.get(args.indexOf("-deadline") + 1));
    }

    @Test
    void proresIs4444WithAlphaAndNoGopArguments() {
        List<String> args = EncoderArgs.forChunk(TestMedia.prores(), OutputFormat.MOV, 25, 30);
        assertEquals(List.of("-c:v", "prores_ks", "-profile:v", "4444", "-vendor", "apl0",
                "-vf", "scale=out_color_matrix=bt709:out_range=tv", "-pix_fmt", "yuva444p10le",
                "-colorspace:v", "bt709", "-color_primaries:v", "bt709", "-color_trc:v", "bt709", "-color_range:v", "tv",
                "-video_track_timescale", "90000", "-avoid_negative_ts", "make_zero", "-an"), args);
    }

    @Test
    void pngSequenceHasNoEncoder() {
        assertEquals(List.of(), EncoderArgs.forChunk(TestMedia.pngSequence(), OutputFormat.PNG_SEQUENCE, 30, 30));
    }

    @Test
    void encoderThatCannotWriteTheFormatIsRejected() {
        RenderException e = assertThrows(RenderException.class,
                () -> EncoderArgs.forChunk(TestMedia.x264("medium", 18), OutputFormat.WEBM, 30, 30));
        assertEquals(ErrorCode.FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED, e.code());
        assertTrue(e.getMessage().contains("libx264"), e.getMessage());
    }

    @Test
    void inputIsImagePipeWithTheCaptureDecoder() {
        assertEquals(List.of("-f", "image2pipe", "-c:v", "mjpeg", "-framerate", "30",
                        "-protocol_whitelist", "pipe", "-i", "pipe:0"),
                EncoderArgs.inputArgs("jpeg", 30));
        assertEquals("png", EncoderArgs.inputCodec("png"));
        assertEquals(ErrorCode.INVALID_CONFIG,
                assertThrows(RenderException.class, () -> EncoderArgs.inputCodec("webp")).code());
    }

    @Test
    void concatListEscapesQuotesAndGivesExactDurations() {
        String list = Assembler.concatList(List.of(Path.of("/w/it's/chunk-0000.mp4"), Path.of("/w/chunk-0001.mp4")),
                List.of(7L, 8L), 30);
        assertEquals("ffconcat version 1.0\n"
                + "file '/w/it'\\''s/chunk-0000.mp4'\nduration 0.233333\n"
                + "file '/w/chunk-0001.mp4'\nduration 0.266667\n", list);
    }

    @Test
    void audioFilterGraphDelaysScalesAndSumsWithoutNormalising() {
        List<AudioMixer.AudioClip> clips = List.of(
                new AudioMixer.AudioClip(Path.of("a.wav"), 1.5, 0, null, 0.5, 1),
                new AudioMixer.AudioClip(Path.of("b.mp4"), 0, 2, 3.0, 1, 2));
        assertEquals("[0:a:0]pan=stereo|FL<FL+FC|FR<FR+FC,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,asetpts=PTS-STARTPTS"
                        + ",volume=0.5,adelay=delays=72000S:all=1[a0];"
                        + "[1:a:0]pan=stereo|FL<FL+FC|FR<FR+FC,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,asetpts=PTS-STARTPTS"
                        + ",atempo=2[a1];"
                        + "[a0][a1]amix=inputs=2:duration=longest:dropout_transition=0:normalize=0"
                        + ",apad=whole_dur=4,atrim=end=4[mix]",
                AudioMixer.filterGraph(clips, 4.0));
        assertEquals(List.of("0.5", "0.5", "0.8"), AudioMixer.atempoChain(0.2));
        assertEquals(List.of(), AudioMixer.atempoChain(1.0));
    }

    @Test
    void audioMixCommandSeeksAndLimitsEachInputInMediaTime() {
        FfmpegTools tools = TestMedia.tools();
        List<String> cmd = AudioMixer.command(tools, List.of(
                new AudioMixer.AudioClip(Path.of("b.mp4"), 0, 2, 3.0, 1, 2)), 4.0, Path.of("out.m4a"));
        List<String> input = List.of("-protocol_whitelist", "file", "-format_whitelist",
                MediaInput.PROJECT_FORMATS, "-ss", "2", "-t", "6", "-i", "file:" + Path.of("b.mp4").toAbsolutePath());
        assertTrue(java.util.Collections.indexOfSubList(cmd, input) >= 0, cmd.toString());
        int filter = cmd.indexOf("-filter_complex");
        assertTrue(filter > java.util.Collections.indexOfSubList(cmd, input), "the graph follows the inputs: " + cmd);
        assertEquals(List.of("-f", "mp4", "-map", "[mix]", "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2",
                "-t", "4", "-movflags", "+faststart", "out.m4a"), cmd.subList(cmd.size() - 17, cmd.size()));
    }

    @Test
    void extractionCommandMapsFrameKToMediaStartPlusKTimesRate() {
        FfmpegTools tools = TestMedia.tools();
        MediaInfo vp9 = new MediaInfo(4, "vp9", 640, 360, 120, 30, "yuva420p", false, null, 0, 0, 4, 0, "bt709", 30);
        List<String> cmd = VideoFrameExtractor.command(tools, Path.of("v.webm"), vp9, 1.25, 2, 0.5, 30, 60,
                Path.of("/out"), "png");
        assertEquals(List.of("-c:v", "libvpx-vp9", "-ss", "1.25", "-t", "1.016667",
                "-protocol_whitelist", "file", "-format_whitelist", MediaInput.PROJECT_FORMATS,
                "-i", "file:" + Path.of("v.webm").toAbsolutePath(), "-an", "-sn", "-dn",
                "-vf", "setpts=(PTS-STARTPTS)/0.5,settb=intb/2,setpts=PTS-lte(TB\\,0.001),fps=30:start_time=0:round=up",
                "-frames:v", "60", "-start_number", "0",
                "-c:v", "png", "-compression_level", "1", "-f", "image2", "/out/%06d.png"), cmd.subList(7, cmd.size()));
        assertEquals(30, VideoFrameExtractor.frameCount(1.0, 30, false));
        assertEquals(416, VideoFrameExtractor.frameCount(13.88, 30, false), "416.4 frames: the nearest");
        assertEquals(31, VideoFrameExtractor.frameCount(1.02, 30, false), "30.6 frames: the nearest");
        assertEquals(31, VideoFrameExtractor.frameCount(1.01, 30, true), "a variable-rate source: every frame");
        assertEquals(30, VideoFrameExtractor.frameCount(1.0, 30, true));
        assertEquals(1, VideoFrameExtractor.frameCount(0.01, 30, false), "at least one picture");
    }

    @Test
    void numbersArePlainDecimals() {
        assertEquals("0.000001", Num.fmt(1e-6));
        assertEquals("12", Num.fmt(12.0));
        assertEquals("0", Num.fmt(-0.0));
        assertEquals("0.333333", Num.fmt(1.0 / 3));
    }

    @Test
    void probeJsonIsParsed() throws Exception {
        String json = """
                {"streams":[{"index":0,"codec_name":"h264","codec_type":"video","width":640,"height":360,
                "pix_fmt":"yuv420p","r_frame_rate":"30000/1001","duration":"2.002000","nb_read_packets":"60",
                "color_space":"unknown","disposition":{"attached_pic":0}},
                {"index":1,"codec_name":"aac","codec_type":"audio","sample_rate":"48000","channels":2,
                "duration":"2.010667"}],
                "format":{"duration":"2.010667"}}""";
        MediaInfo info = MediaProbe.parse(json);
        assertEquals(new MediaInfo(2.010667, "h264", 640, 360, 60, 30000.0 / 1001, "yuv420p", true, "aac", 48000, 2,
                2.002, 2.010667, null, 0), info);
    }

    @Test
    void extractionColourFollowsTheTagOrChromiumsGuess() {
        MediaInfo hd709 = new MediaInfo(1, "h264", 1280, 720, 30, 30, "yuv420p", false, null, 0, 0, 1, 0, "bt709", 30);
        MediaInfo hdUntagged = new MediaInfo(1, "h264", 1280, 720, 30, 30, "yuv420p", false, null, 0, 0, 1, 0, null, 30);
        MediaInfo sdUntagged = new MediaInfo(1, "h264", 640, 360, 30, 30, "yuv420p", false, null, 0, 0, 1, 0, null, 30);
        MediaInfo vp9Untagged = new MediaInfo(1, "vp9", 1920, 1080, 30, 30, "yuv420p", false, null, 0, 0, 1, 0, null, 30);
        MediaInfo hdr = new MediaInfo(1, "hevc", 1920, 1080, 30, 30, "yuv420p10le", false, null, 0, 0, 1, 0,
                "bt2020nc", 30);
        String toJpeg = ",scale=flags=accurate_rnd,format=gbrp,scale=out_color_matrix=bt601:out_range=pc,format=yuv420p";
        assertEquals(toJpeg, VideoFrameExtractor.colourFilter(hd709, "jpg"));
        assertEquals("", VideoFrameExtractor.colourFilter(hd709, "png"));
        assertEquals(",setparams=colorspace=bt709" + toJpeg, VideoFrameExtractor.colourFilter(hdUntagged, "jpg"));
        assertEquals(",setparams=colorspace=smpte170m" + toJpeg, VideoFrameExtractor.colourFilter(sdUntagged, "jpg"));
        assertEquals(",setparams=colorspace=smpte170m", VideoFrameExtractor.colourFilter(vp9Untagged, "png"));
        assertEquals("", VideoFrameExtractor.colourFilter(hdr, "jpg"));
    }

    @Test
    void frameNamesAreGlobalAndSixDigits() {
        assertEquals("frame-000042.png", FrameNames.name(42));
        assertEquals(1234567, FrameNames.indexOf("frame-1234567.png"));
        assertEquals(-1, FrameNames.indexOf("frame-42.png"));
    }
}
