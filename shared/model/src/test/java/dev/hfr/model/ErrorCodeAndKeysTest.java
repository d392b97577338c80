package dev.hfr.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorCodeAndKeysTest {

    @Test
    void integrityAndInputCodesAreNeverRetried() {
        for (String name : new String[]{"PLAN_HASH_MISMATCH", "FFMPEG_VERSION_MISMATCH", "BROWSER_GPU_NOT_SOFTWARE",
                "FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED", "S3_URI_NOT_ALLOWED", "INVALID_CONFIG", "FONT_FETCH_FAILED",
                "PROJECT_ARCHIVE_INVALID", "CHUNK_INDEX_OUT_OF_RANGE"}) {
            assertTrue(ErrorCode.nonRetryableNames().contains(name), name);
            assertFalse(ErrorCode.valueOf(name).retryable(), name);
        }
        assertTrue(ErrorCode.BROWSER_CRASHED.retryable());
        assertTrue(ErrorCode.STORAGE_ERROR.retryable());
        assertEquals(ErrorCode.values().length, ErrorCode.nonRetryableNames().size() + ErrorCode.retryableNames().size());
    }

    @Test
    void cliExitCodesSeparateInputFromRenderFailures() {
        assertEquals(2, ErrorCode.INVALID_CONFIG.cliExitCode());
        assertEquals(2, ErrorCode.ASSET_UNAVAILABLE.cliExitCode());
        assertEquals(3, ErrorCode.ENCODE_FAILED.cliExitCode());
        assertEquals(130, ErrorCode.INTERRUPTED.cliExitCode());
        assertEquals(ErrorCode.INTERNAL_ERROR, ErrorCode.fromName("java.lang.NullPointerException"));
    }

    @Test
    void keysArePaddedSoListingOrderIsChunkOrder() {
        assertEquals("s3://b/renders/r1/chunks/00007.mp4", RenderKeys.chunk("s3://b/renders/r1/", 7, OutputFormat.MP4));
        assertEquals("/w/chunks/00012.tar", RenderKeys.chunk("/w", 12, OutputFormat.PNG_SEQUENCE));
        String sha = "ab" + "c".repeat(62);
        assertEquals("s3://b/p/plan/artifacts/sha256/ab/" + sha, RenderKeys.planArtifact("s3://b/p", sha));
        assertEquals("s3://b/p", RenderKeys.prefixOfManifest(RenderKeys.planManifest("s3://b/p")));
        assertThrows(RenderException.class, () -> RenderKeys.prefixOfManifest("s3://b/p/manifest.json"));
    }

    @Test
    void storageUrisParseS3AndLocalPaths() {
        StorageUri s3 = StorageUri.parse("s3://bucket/a/b/");
        assertTrue(s3.isS3());
        assertEquals("bucket", s3.bucket());
        assertEquals("a/b", s3.key());
        assertEquals("s3://bucket/a/b/c.mp4", s3.resolve("/c.mp4").toString());
        StorageUri local = StorageUri.parse("file:///tmp/x/../y");
        assertFalse(local.isS3());
        assertEquals("/tmp/y", local.toString());
        assertEquals(ErrorCode.INVALID_EVENT, assertThrows(RenderException.class, () -> StorageUri.parse("gs://x/y")).code());
        assertEquals(ErrorCode.INVALID_EVENT, assertThrows(RenderException.class, () -> StorageUri.parse("s3:///k")).code());
    }

    @Test
    void outputFormatFromFileName() {
        assertEquals(OutputFormat.MP4, OutputFormat.fromFileName("out/My.MP4"));
        assertEquals(OutputFormat.WEBM, OutputFormat.fromFileName("a.webm"));
        assertEquals(OutputFormat.PNG_SEQUENCE, OutputFormat.fromFileName("frames/"));
        assertEquals(null, OutputFormat.fromFileName("a.gif"));
    }

    @Test
    void formatNamesAreExactAndTheConfigCheckAgreesWithTheEnum() {
        assertEquals(OutputFormat.PNG_SEQUENCE, OutputFormat.fromWire("png-sequence"));
        assertEquals(null, OutputFormat.fromWire("MP4"));
        assertEquals(java.util.Set.copyOf(OutputFormat.wireNames()), RenderConfig.FORMATS);
        for (String name : OutputFormat.wireNames()) {
            assertTrue(RenderConfig.builder().format(name).build().validate().isEmpty(), name);
        }
        assertEquals("format", RenderConfig.builder().format("MP4").build().validate().get(0).field());
        assertEquals("h264", RenderConfig.builder().build().withDefaults().codec());
        assertEquals(null, RenderConfig.builder().format("webm").build().withDefaults().codec());
        assertEquals("codec", RenderConfig.builder().format("mov").codec("h264").build().validate().get(0).field());
    }
}
