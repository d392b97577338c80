package dev.hfr.cli;

import dev.hfr.model.ConfigViolation;
import dev.hfr.model.InvalidConfigException;
import dev.hfr.model.OutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hf cloud render-batch's file: every line checked before anything starts, a bad one named by its number. */
class RenderBatchFileTest {
    @TempDir
    Path tmp;

    @Test
    void linesBecomeRendersWithTheirConfigAndPathsFromTheFilesFolder() throws Exception {
        Files.createDirectories(tmp.resolve("p1"));
        Files.createDirectories(tmp.resolve("p2"));
        List<CloudBatchCommand.Entry> e = CloudBatchCommand.parse(List.of(
                "{\"project\": \"p1\", \"output\": \"out/one.webm\", \"variables\": {\"title\": \"Hi\"}, \"fps\": 24}",
                "",
                "{\"project\": \"p2\", \"quality\": \"draft\", \"config\": {\"chunkSize\": 15},"
                        + " \"webhookUrl\": \"http://127.0.0.1:9/h\", \"webhookData\": {\"job\": 7}}"), tmp, "s3cret");
        assertEquals(2, e.size());
        assertEquals(1, e.get(0).line());
        assertEquals(tmp.resolve("p1"), e.get(0).project());
        assertEquals(tmp.resolve("out/one.webm"), e.get(0).output());
        assertEquals(OutputFormat.WEBM, e.get(0).format());
        assertEquals(24, e.get(0).config().fps());
        assertEquals("Hi", e.get(0).config().variables().get("title"));
        assertNull(e.get(0).webhook());
        assertEquals(3, e.get(1).line(), "blank lines are skipped but counted");
        assertNull(e.get(1).output());
        assertEquals(OutputFormat.MP4, e.get(1).format());
        assertEquals(15, e.get(1).config().chunkSize());
        assertEquals("draft", e.get(1).config().quality());
        assertEquals("s3cret", e.get(1).webhook().secret());
        assertEquals(7, ((Number) e.get(1).webhook().customData().get("job")).intValue());
    }

    @Test
    void everyBadLineIsReportedAtOnceByItsNumber() throws Exception {
        Files.createDirectories(tmp.resolve("p1"));
        InvalidConfigException ex = assertThrows(InvalidConfigException.class, () -> CloudBatchCommand.parse(List.of(
                "{\"project\": \"p1\", \"output\": \"a.mp4\"}",
                "{\"project\": \"p1\", \"output\": \"a.mp4\"}",
                "not json",
                "{\"output\": \"b.mp4\"}",
                "{\"project\": \"missing\"}",
                "{\"project\": \"p1\", \"fps\": 1000, \"colour\": \"red\"}",
                "{\"project\": \"p1\", \"format\": \"png-sequence\"}",
                "{\"project\": \"p1\", \"output\": \"c.webm\", \"format\": \"mp4\"}",
                "{\"project\": \"p1\", \"output\": \"d.webm\", \"format\": \"WEBM\"}"), tmp, null));
        List<String> fields = ex.violations().stream().map(ConfigViolation::field).toList();
        String all = ex.violations().toString();
        assertTrue(fields.contains("line 2 output") && all.contains("line 1 does"), all);
        assertTrue(fields.contains("line 3"), all);
        assertTrue(fields.contains("line 4 project"), all);
        assertTrue(fields.contains("line 5 project") && all.contains("does not exist"), all);
        assertTrue(fields.contains("line 6 colour"), all);
        assertTrue(fields.stream().anyMatch(f -> f.startsWith("line 6 ") && f.contains("fps")), all);
        assertTrue(fields.contains("line 7 format"), all);
        assertTrue(fields.contains("line 8 output"), all);
        assertTrue(fields.contains("line 9 format"), "format names are exact, as in the Config: " + all);
        assertTrue(fields.stream().noneMatch(f -> f.startsWith("line 1 ")), "line 1 is fine: " + all);
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThrows(InvalidConfigException.class, () -> CloudBatchCommand.parse(List.of("", "  "), tmp, null));
    }
}
