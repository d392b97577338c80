package dev.hfr.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256AndMediaTypesTest {
    @Test
    void sha256OfBytesTextAndAStreamedFileAgree(@TempDir Path tmp) throws Exception {
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2 "abc"
        assertEquals(abc, Sha256.hex("abc"));
        Path f = tmp.resolve("abc.txt");
        Files.writeString(f, "abc");
        assertEquals(abc, Sha256.hex(f));
        byte[] big = new byte[(1 << 16) * 3 + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Files.write(f, big);
        assertEquals(Sha256.hex(big), Sha256.hex(f));
    }

    @Test
    void mediaTypesByExtensionCaseInsensitiveWithCharsetOnlyForTextOverHttp() {
        assertEquals("video/mp4", MediaTypes.of("a.MP4"));
        assertEquals("font/woff2", MediaTypes.of("x/inter-latin-400-normal.woff2"));
        assertEquals("application/octet-stream", MediaTypes.of("README"));
        assertEquals("text/css", MediaTypes.of("s.css"));
        assertEquals("text/css; charset=utf-8", MediaTypes.forHttp("s.css"));
        assertEquals("application/json", MediaTypes.forHttp("a.map"));
        assertEquals("image/png", MediaTypes.forHttp("p.png"));
    }
}
