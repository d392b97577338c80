package dev.hfr.model;

import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderConfigTest {

    private static RenderConfig parse(String json) throws Exception {
        return ObjectMapper.getDefault().readValue(json, RenderConfig.class);
    }

    @Test
    void hyperframesConfigJsonParsesWithItsFieldNames() throws Exception {
        RenderConfig c = parse("""
                {"fps":30,"width":1920,"height":1080,"format":"mp4","codec":"h264","quality":"high","crf":20,
                 "chunkSize":240,"maxParallelChunks":8,"runtimeCap":"lambda","entryFile":"main.html",
                 "variables":{"title":"Hi","n":3}}""");
        assertEquals(30, c.fps());
        assertEquals(1920, c.width());
        assertEquals(240, c.chunkSize());
        assertEquals(8, c.maxParallelChunks());
        assertEquals("main.html", c.entryFile());
        assertEquals("Hi", c.variables().get("title"));
        assertTrue(c.validate().isEmpty(), () -> c.validate().toString());
    }

    @Test
    void everyViolationIsReportedAtOnceWithFieldValueAndExpectation() throws Exception {
        RenderConfig c = parse("""
                {"fps":121,"width":1921,"height":8000,"format":"gif","codec":"vp8","quality":"ultra","crf":60,
                 "bitrate":"fast","chunkSize":0,"maxParallelChunks":257,"runtimeCap":"forever","entryFile":"../x.html"}""");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, c::validated);
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        List<String> fields = e.violations().stream().map(ConfigViolation::field).toList();
        assertEquals(List.of("fps", "width", "height", "format", "codec", "quality", "crf", "bitrate", "bitrate",
                "chunkSize", "maxParallelChunks", "runtimeCap", "entryFile"), fields);
        ConfigViolation width = e.violations().get(1);
        assertEquals("1921", width.value());
        assertTrue(width.expected().contains("even"));
        assertTrue(e.getMessage().contains("fps: got 121, expected an integer from 1 to 120"), e.getMessage());
    }

    @Test
    void everyIntegerFrameRateFromOneTo120IsAccepted() {
        for (int fps : new int[] {1, 7, 10, 12, 15, 29, 48, 90, 120}) {
            assertTrue(RenderConfig.of(fps, "mp4").validate().isEmpty(), "fps " + fps);
        }
        for (int fps : new int[] {0, -1, 121, 240}) {
            List<ConfigViolation> v = RenderConfig.of(fps, "mp4").validate();
            assertEquals(List.of("fps"), v.stream().map(ConfigViolation::field).toList(), "fps " + fps);
        }
    }

    @Test
    void fontPolicyIsStrictByDefaultAndOnlyStrictOrSystem() throws Exception {
        assertEquals("strict", parse("{}").withDefaults().fontPolicy());
        assertEquals("system", parse("{\"fontPolicy\":\"system\"}").validated().fontPolicy());
        List<ConfigViolation> v = parse("{\"fontPolicy\":\"loose\"}").validate();
        assertEquals(1, v.size());
        assertEquals("fontPolicy", v.get(0).field());
        assertTrue(v.get(0).expected().contains("strict") && v.get(0).expected().contains("system"), v.get(0).expected());
        assertEquals("system", RenderConfig.empty().merge(parse("{\"fontPolicy\":\"system\"}")).fontPolicy());
    }

    @Test
    void codecIsOnlyAllowedWithMp4() {
        RenderConfig c = RenderConfig.of(30, "webm").merge(new RenderConfig(null, null, null, null, "h265", null,
                null, null, null, null, null, null, null, null, null, null, null, null, null));
        List<ConfigViolation> v = c.validate();
        assertEquals(1, v.size());
        assertEquals("codec", v.get(0).field());
        assertTrue(v.get(0).expected().contains("mp4"));
    }

    @Test
    void crfAndBitrateAreMutuallyExclusive() throws Exception {
        List<ConfigViolation> v = parse("{\"crf\":20,\"bitrate\":\"8M\"}").validate();
        assertEquals(1, v.size());
        assertTrue(v.get(0).expected().contains("mutually exclusive"));
    }

    @Test
    void boundariesAreInclusive() throws Exception {
        assertTrue(parse("{\"width\":16,\"height\":7680,\"crf\":0,\"chunkSize\":3600,\"maxParallelChunks\":256}")
                .validate().isEmpty());
        assertTrue(parse("{\"crf\":51,\"chunkSize\":1,\"maxParallelChunks\":1,\"fps\":25}").validate().isEmpty());
        assertEquals(2, parse("{\"width\":14,\"height\":7682}").validate().size());
    }

    @Test
    void nonFiniteVariablesAreRejected() {
        RenderConfig c = new RenderConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                null, Map.of("a", Double.NaN, "b", List.of(1, new Object())), null, null, null, null, null);
        List<String> fields = c.validate().stream().map(ConfigViolation::field).sorted().toList();
        assertEquals(List.of("variables.a", "variables.b[1]"), fields);
    }

    @Test
    void defaultsAreSane() {
        RenderConfig d = RenderConfig.empty().withDefaults();
        assertEquals(30, d.fps());
        assertEquals("mp4", d.format());
        assertEquals("h264", d.codec());
        assertEquals("standard", d.quality());
        assertEquals(Limits.DEFAULT_MAX_PARALLEL_CHUNKS, d.maxParallelChunks());
        assertEquals("index.html", d.entryFile());
    }

    @Test
    void encoderSettingsFollowQualityAndOverrides() {
        EncoderSettings s = EncoderSettings.from(RenderConfig.of(30, "mp4"));
        assertEquals("libx264", s.encoder());
        assertEquals("medium", s.preset());
        assertEquals(18, s.crf());
        assertEquals("jpeg", s.captureFormat());
        EncoderSettings webm = EncoderSettings.from(RenderConfig.of(30, "webm"));
        assertEquals("libvpx-vp9", webm.encoder());
        assertEquals("yuva420p", webm.pixelFormat());
        assertEquals("png", webm.captureFormat());
    }

    @Test
    void workflowInputUsesHyperframesNames() throws Exception {
        WorkflowInput in = ObjectMapper.getDefault().readValue("""
                {"ProjectS3Uri":"s3://b/p.tar.gz","PlanOutputS3Prefix":"s3://b/renders/r1/",
                 "OutputS3Uri":"s3://b/out.mp4","Config":{"fps":24,"width":640,"height":360,"format":"mp4"},
                 "PlanProtocol":"v2"}""", WorkflowInput.class);
        assertEquals("s3://b/p.tar.gz", in.projectS3Uri());
        assertEquals(24, in.config().fps());
        PlanEvent pe = in.toPlanEvent();
        assertEquals("plan", pe.action());
        String json = ObjectMapper.getDefault().writeValueAsString(pe);
        assertTrue(json.contains("\"PlanOutputS3Prefix\":\"s3://b/renders/r1/\""), json);
    }

    @Test
    void theBuilderSetsFieldsByNameAndLeavesTheRestUnset() {
        RenderConfig c = RenderConfig.builder().fps(24).maxParallelChunks(4).fontPolicy("system").build();
        assertEquals(24, c.fps());
        assertEquals(4, c.maxParallelChunks());
        assertEquals("system", c.fontPolicy());
        assertEquals(null, c.format());
        assertEquals(null, c.chunkSize());
        assertEquals(RenderConfig.empty(), RenderConfig.builder().build());
        assertEquals(c, c.toBuilder().build());
        assertEquals(8, c.toBuilder().maxParallelChunks(8).build().maxParallelChunks());
    }

    @Test
    void thePlanResultCarriesTheResolvedConcurrencyOnTheWire() throws Exception {
        PlanResult r = new PlanResult("plan", "r", "h", "m", "p", 3, 90, 30, 64, 36, "mp4", false, "f", "e", 1, null,
                RenderConfig.builder().maxParallelChunks(5).build().withDefaults().maxParallelChunks());
        String json = ObjectMapper.getDefault().writeValueAsString(r);
        assertTrue(json.contains("\"MaxParallelChunks\":5"), json);
        assertEquals(Limits.DEFAULT_MAX_PARALLEL_CHUNKS,
                new PlanResult("plan", "r", "h", "m", "p", 3, 90, 30, 64, 36, "mp4", false, "f", "e", 1, null)
                        .maxParallelChunks());
    }
}
