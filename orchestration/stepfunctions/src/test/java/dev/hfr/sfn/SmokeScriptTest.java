package dev.hfr.sfn;

import org.junit.jupiter.api.Tag;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/smoke.sh: shellcheck, argument handling, and its jq twin of forActivities. Needs bash, shellcheck, jq. */
@Tag("integration")
class SmokeScriptTest {
    private static final Path ROOT = Path.of(System.getProperty("hfr.repo.root", "../.."));

    record Run(int exitCode, String output) {
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return new Run(p.exitValue(), out);
    }

    private static Run smoke(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", "scripts/smoke.sh"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    @Test
    void scriptsAreShellcheckClean() throws Exception {
        Run r = run("shellcheck", "-x", "scripts/smoke.sh", "scripts/cfn-lint.sh", "scripts/sam.sh", "scripts/localstack.sh");
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void helpDocumentsEveryOption() throws Exception {
        Run r = smoke("--help");
        assertEquals(0, r.exitCode(), r.output());
        for (String option : List.of("--localstack", "--keep-stack", "--reserved-concurrency", "--chunk-counts",
                "--fixture", "--psnr-min", "--dry-run", "Exit codes")) {
            assertTrue(r.output().contains(option), option + " missing from --help:\n" + r.output());
        }
    }

    @Test
    void badArgumentsExitWithUsageCode() throws Exception {
        assertEquals(2, smoke("--chunk-counts", "2,x").exitCode());
        assertEquals(2, smoke("--bogus").exitCode());
        assertEquals(2, smoke("--reserved-concurrency", "many").exitCode());
        assertEquals(2, smoke("--stack-name", "Bad_Name").exitCode());
        assertEquals(2, smoke("--fixture").exitCode(), "an option without its value");
    }

    @Test
    void dryRunShowsTheParsedPlan() throws Exception {
        Run r = smoke("--dry-run", "--localstack", "--reserved-concurrency", "4", "--chunk-counts", "3,5",
                "--stack-name", "hfr-smoke-test");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("mode:                 localstack"), r.output());
        assertTrue(r.output().contains("chunk counts:         3,5"), r.output());
        assertTrue(r.output().contains("reserved concurrency: 4"), r.output());
        assertTrue(r.output().contains("psnr floor:           30 dB"), "the default floor (mp4-h264-sdr's meta.json minPsnr, or 30 for examples/hello): " + r.output());
    }

    @Test
    void localstackDryRunUsesItsOwnPortAndOneChunkCount() throws Exception {
        Run r = smoke("--dry-run", "--localstack", "--stack-name", "hfr-smoke-test");
        assertEquals(0, r.exitCode(), r.output());
        // its own port: 4610 unless HFR_SMOKE_LOCALSTACK_PORT moves it, never the suite's (4566 or HFR_LOCALSTACK_PORT)
        String own = System.getenv().getOrDefault("HFR_SMOKE_LOCALSTACK_PORT", "4610");
        String suite = System.getenv().getOrDefault("HFR_LOCALSTACK_PORT", "4566");
        assertTrue(r.output().contains("localstack port:      " + own), "its own port " + own + ": " + r.output());
        assertFalse(own.equals(suite), "the smoke's LocalStack port must differ from the suite's " + suite);
        assertTrue(r.output().contains("chunk counts:         2 "), "one render per mode keeps CI short: " + r.output());
    }

    @Test
    void jqActivityDefinitionEqualsForActivities() throws Exception {
        Run r = smoke("--print-activity-definition", "arn:p", "arn:c", "arn:a");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("\"ToleratedFailurePercentage\": 0.0"), "LocalStack needs the float literal");
        Object fromJq = normalise(StateMachineDefinition.parse(r.output()));
        Object fromJava = normalise(StateMachineDefinition.parse(
                StateMachineDefinition.load().forActivities("arn:p", "arn:c", "arn:a")));
        assertEquals(fromJava, fromJq);
    }

    /** Numbers as doubles (jq prints 2.0 as 2), maps order-insensitive. */
    private static Object normalise(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normalise(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(SmokeScriptTest::normalise).toList();
        }
        return o instanceof Number n ? (Object) n.doubleValue() : o;
    }

    @Test
    void everyLocalStackDifferenceTheScriptPrintsIsListedInDocsAws() throws Exception {
        String script = java.nio.file.Files.readString(ROOT.resolve("scripts/smoke.sh"));
        long printed = script.lines().filter(l -> l.trim().startsWith("log \"LocalStack differs: ")).count();
        String doc = java.nio.file.Files.readString(ROOT.resolve("docs/aws.md"));
        int start = doc.indexOf("Where the LocalStack smoke deploy differs from AWS");
        org.junit.jupiter.api.Assertions.assertTrue(start >= 0, "docs/aws.md has no list of LocalStack differences");
        // the list: the "- " lines right after its heading line, up to the first blank line
        List<String> after = doc.substring(start).lines().skip(1).takeWhile(l -> !l.isBlank()).toList();
        long listed = after.stream().filter(l -> l.startsWith("- ")).count();
        org.junit.jupiter.api.Assertions.assertEquals(printed, listed,
                "smoke.sh prints " + printed + " 'LocalStack differs' lines, docs/aws.md lists " + listed + ": " + after);
        org.junit.jupiter.api.Assertions.assertTrue(printed >= 6, "found only " + printed);
    }
}
