package dev.hfr.storage.archive;

import org.junit.jupiter.api.Tag;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.StorageUri;
import dev.hfr.storage.RoutingStorage;
import dev.hfr.storage.testing.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** materialize() of s3:// projects against LocalStack. */
@Tag("integration")
class ProjectArchiveS3Test {

    @TempDir
    Path tmp;

    @Test
    void s3ArchiveIsDownloadedExtractedAndTheDownloadRemoved() throws IOException {
        LocalStack ls = LocalStack.require();
        String bucket = ls.createBucket("materialize");
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("assets"));
        Files.writeString(src.resolve("index.html"), "<html>s3</html>");
        Files.writeString(src.resolve("assets/a.css"), "a{}");
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        ProjectArchive.pack(src, packed);
        try (RoutingStorage storage = new RoutingStorage(ls.storageConfig(bucket))) {
            storage.write(StorageUri.parse("s3://" + bucket + "/projects/p1.tar.gz"), packed.toByteArray());
            Path work = tmp.resolve("work");
            Path root = ProjectArchive.materialize("s3://" + bucket + "/projects/p1.tar.gz", storage, work, null);
            assertEquals("<html>s3</html>", Files.readString(root.resolve("index.html")));
            assertEquals("a{}", Files.readString(root.resolve("assets/a.css")));
            try (var s = Files.list(work)) {
                assertEquals(java.util.List.of(root), s.toList(), "only the project directory remains in workDir");
            }

            String missing = "s3://" + bucket + "/projects/missing.tar.gz";
            RenderException e = assertThrows(RenderException.class, () -> ProjectArchive.materialize(missing, storage, work, null));
            assertEquals(ErrorCode.PROJECT_NOT_FOUND, e.code());
            assertTrue(e.getMessage().contains(missing), e.getMessage());
            assertFalse(Files.exists(work.resolve("project")));

            RenderException outside = assertThrows(RenderException.class,
                    () -> ProjectArchive.materialize("s3://someone-elses-bucket/p.tar.gz", storage, work, null));
            assertEquals(ErrorCode.S3_URI_NOT_ALLOWED, outside.code());
        }
    }
}
