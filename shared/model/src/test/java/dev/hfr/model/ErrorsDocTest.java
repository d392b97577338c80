package dev.hfr.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps docs/errors.md in step with {@link ErrorCode}: one entry per code (no more, no fewer), each under an
 * explicit anchor equal to {@link ErrorCode#docsAnchor()}, stating the retry and exit code the enum has.
 */
class ErrorsDocTest {
    private static final Pattern HEADING = Pattern.compile("(?m)^## (\\S+)\\s*$");
    private static final Pattern ANCHOR = Pattern.compile("<a id=\"([^\"]+)\"></a>\\s*$");
    private static final Pattern RETRIED = Pattern.compile("\\*\\*Retried:\\*\\* (yes|no)\\b");
    private static final Pattern EXIT = Pattern.compile("\\*\\*`hf` exit code:\\*\\* (\\d+)\\b");

    record Entry(String anchor, String body) {
    }

    static Path errorsDoc() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/fetch-assets.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repo root (holding scripts/fetch-assets.sh) not found above "
                    + Paths.get("").toAbsolutePath());
        }
        return p.resolve(ErrorCode.DOCS_FILE);
    }

    /** The {@code ## NAME} sections of the document, in order, with the anchor line just above each. */
    static Map<String, Entry> entries(String doc) {
        Map<String, Entry> out = new LinkedHashMap<>();
        Matcher m = HEADING.matcher(doc);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[]{m.start(), m.end()});
            names.add(m.group(1));
        }
        for (int i = 0; i < names.size(); i++) {
            String before = doc.substring(i == 0 ? 0 : spans.get(i - 1)[1], spans.get(i)[0]).stripTrailing();
            Matcher a = ANCHOR.matcher(before);
            String anchor = a.find() ? a.group(1) : null;
            int end = i + 1 < names.size() ? spans.get(i + 1)[0] : doc.length();
            Entry previous = out.put(names.get(i), new Entry(anchor, doc.substring(spans.get(i)[1], end)));
            if (previous != null) {
                fail("docs/errors.md has two sections for " + names.get(i));
            }
        }
        return out;
    }

    static boolean isCode(String name) {
        return Arrays.stream(ErrorCode.values()).anyMatch(c -> c.name().equals(name));
    }

    @Test
    void everyCodeHasAnEntryAndEveryEntryIsACode() throws Exception {
        Path doc = errorsDoc();
        assertTrue(Files.isRegularFile(doc), doc + " does not exist");
        Map<String, Entry> entries = entries(Files.readString(doc));
        List<String> undocumented = Arrays.stream(ErrorCode.values()).map(Enum::name)
                .filter(n -> !entries.containsKey(n)).toList();
        assertEquals(List.of(), undocumented, "codes with no `## NAME` section in " + doc);
        // every ## section of the reference part names a code; the prose sections use ### or come first
        List<String> unknown = entries.keySet().stream().filter(n -> n.matches("[A-Z0-9_]+") && !isCode(n)).toList();
        assertEquals(List.of(), unknown, "sections for codes ErrorCode does not have");
    }

    @Test
    void eachEntryHasTheExplicitAnchorTheMessagesPointTo() throws Exception {
        Map<String, Entry> entries = entries(Files.readString(errorsDoc()));
        for (ErrorCode c : ErrorCode.values()) {
            Entry e = entries.get(c.name());
            assertTrue(e != null, c + " has no entry");
            assertEquals(c.docsAnchor(), e.anchor(), c + ": expected <a id=\"" + c.docsAnchor()
                    + "\"></a> on the line above ## " + c.name());
        }
    }

    @Test
    void retriedAndExitCodeMatchTheEnum() throws Exception {
        Map<String, Entry> entries = entries(Files.readString(errorsDoc()));
        for (ErrorCode c : ErrorCode.values()) {
            Entry e = entries.get(c.name());
            assertTrue(e != null, c + " has no entry");
            Matcher r = RETRIED.matcher(e.body());
            assertTrue(r.find(), c + ": the entry must say **Retried:** yes or no");
            assertEquals(c.retryable() ? "yes" : "no", r.group(1), c + ": retried in docs/errors.md vs retryable()");
            Matcher x = EXIT.matcher(e.body());
            assertTrue(x.find(), c + ": the entry must say **`hf` exit code:** N");
            assertEquals(c.cliExitCode(), Integer.parseInt(x.group(1)), c + ": exit code in docs/errors.md vs cliExitCode()");
        }
    }

    @Test
    void theParserSeesAWrongRetryAndAMissingAnchor() {
        String doc = """
                # Errors
                <a id="timeout"></a>
                ## TIMEOUT
                **Retried:** no · **`hf` exit code:** 3
                ## NOT_A_CODE
                **Retried:** yes
                """;
        Map<String, Entry> entries = entries(doc);
        assertEquals("timeout", entries.get("TIMEOUT").anchor());
        Matcher r = RETRIED.matcher(entries.get("TIMEOUT").body());
        assertTrue(r.find());
        assertTrue(!r.group(1).equals(ErrorCode.TIMEOUT.retryable() ? "yes" : "no"), "TIMEOUT is retried: 'no' must differ");
        assertEquals(null, entries.get("NOT_A_CODE").anchor());
        assertTrue(!isCode("NOT_A_CODE"));
    }

    @Test
    void messagesEndWithThePointerToTheirEntry() {
        assertEquals("asset-unavailable", ErrorCode.ASSET_UNAVAILABLE.docsAnchor());
        assertEquals("font fetch failed for x (see docs/errors.md#font-fetch-failed)",
                ErrorCode.FONT_FETCH_FAILED.withDocsPointer("font fetch failed for x\n"));
        assertEquals(ErrorCode.TIMEOUT.meaning() + " (see docs/errors.md#timeout)", ErrorCode.TIMEOUT.withDocsPointer(null));
    }
}
