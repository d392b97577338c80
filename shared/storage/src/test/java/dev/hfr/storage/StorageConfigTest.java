package dev.hfr.storage;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageConfigTest {

    @Test
    void hfrEndpointWinsOverAwsEndpointAndForcesPathStyle() {
        Map<String, String> env = Map.of("HFR_S3_ENDPOINT", "http://127.0.0.1:4566", "AWS_ENDPOINT_URL", "http://other:1",
                "AWS_REGION", "eu-west-1", "HFR_RENDER_BUCKET", "renders");
        StorageConfig c = StorageConfig.fromEnv(env::get);
        assertEquals(URI.create("http://127.0.0.1:4566"), c.endpoint());
        assertEquals("eu-west-1", c.region());
        assertTrue(c.forcePathStyle());
        assertEquals("renders", c.allowedBucket());
    }

    @Test
    void fallsBackToAwsEndpointUrl() {
        StorageConfig c = StorageConfig.fromEnv(Map.of("AWS_ENDPOINT_URL", "http://localhost:4566")::get);
        assertEquals(URI.create("http://localhost:4566"), c.endpoint());
    }

    @Test
    void defaultsForRealAws() {
        StorageConfig c = StorageConfig.fromEnv(Map.<String, String>of()::get);
        assertNull(c.endpoint());
        assertEquals("us-east-1", c.region());
        assertFalse(c.forcePathStyle());
        assertNull(c.allowedBucket());
    }

    @Test
    void malformedEndpointIsInvalidConfigNamingTheVariable() {
        RenderException e = assertThrows(RenderException.class,
                () -> StorageConfig.fromEnv(Map.of("HFR_S3_ENDPOINT", "127.0.0.1:4566")::get));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("HFR_S3_ENDPOINT"), e.getMessage());
    }
}
