package dev.hfr.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** hf cloud render's upload key is the sha256 of the packed project: the same tree must give the same bytes. */
class CloudPackTest {
    @TempDir
    Path tmp;

    private static void write(Path root, String rel, String text) throws Exception {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    @Test
    void theSameTreeWrittenInAnotherOrderAtAnotherTimeWithOtherModesPacksToTheSameBytes() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        write(a, "index.html", "<html>hello</html>");
        write(a, "assets/logo.svg", "<svg/>");
        write(a, "compositions/intro.html", "<template>intro</template>");
        // the other copy: created in reverse order, other times, other permissions (not executable either way)
        write(b, "compositions/intro.html", "<template>intro</template>");
        write(b, "assets/logo.svg", "<svg/>");
        write(b, "index.html", "<html>hello</html>");
        Files.setLastModifiedTime(b.resolve("index.html"), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        Files.setLastModifiedTime(b.resolve("assets"), FileTime.from(Instant.parse("2011-02-03T04:05:06Z")));
        Files.setPosixFilePermissions(b.resolve("assets/logo.svg"), PosixFilePermissions.fromString("rw-------"));

        Path out = Files.createDirectories(tmp.resolve("packed"));
        CloudRun.Packed pa = CloudRun.pack(a, out);
        CloudRun.Packed pb = CloudRun.pack(b, out);
        assertEquals(pa.sha256(), pb.sha256());
        assertArrayEquals(Files.readAllBytes(pa.file()), Files.readAllBytes(pb.file()));
        assertEquals(Files.size(pa.file()), pa.size());

        write(b, "index.html", "<html>hello!</html>");
        assertNotEquals(pa.sha256(), CloudRun.pack(b, out).sha256(), "another content, another key");
    }

    @Test
    void anArchiveIsUploadedAsItIs() throws Exception {
        Path a = tmp.resolve("a");
        write(a, "index.html", "<html>hello</html>");
        Path out = Files.createDirectories(tmp.resolve("packed"));
        CloudRun.Packed dir = CloudRun.pack(a, out);
        Path archive = tmp.resolve("p.tar.gz");
        Files.copy(dir.file(), archive);
        CloudRun.Packed again = CloudRun.pack(archive, out);
        assertEquals(dir.sha256(), again.sha256());
    }
}
