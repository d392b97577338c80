package dev.hfr.sfn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #15: "a test feeds every sample event to its real handler". Every file under sample-events/ must be named
 * (as a string literal) by a test of a function module or of the SQS modules, where the handler tests read them.
 */
class SampleEventsCoverageTest {
    private static final Path ROOT = Path.of(System.getProperty("hfr.repo.root", "../.."));

    @Test
    void everySampleEventIsReadByAHandlerTest() throws IOException {
        List<Path> samples;
        try (Stream<Path> s = Files.list(ROOT.resolve("sample-events"))) {
            samples = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(samples.size() >= 7, "found only " + samples);
        StringBuilder tests = new StringBuilder();
        for (String dir : List.of("functions", "orchestration/sqs", "orchestration/sqs-lambda")) {
            Path base = ROOT.resolve(dir);
            if (!Files.isDirectory(base)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(base)) {
                for (Path p : s.filter(p -> p.toString().endsWith("Test.java") && p.toString().contains("/src/test/")).toList()) {
                    tests.append(Files.readString(p));
                }
            }
        }
        List<String> unread = new ArrayList<>();
        for (Path sample : samples) {
            if (!tests.toString().contains("\"" + sample.getFileName() + "\"")) {
                unread.add(sample.getFileName().toString());
            }
        }
        assertEquals(List.of(), unread, "sample events no handler test reads");
    }
}
