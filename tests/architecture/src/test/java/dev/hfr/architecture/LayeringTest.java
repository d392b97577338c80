package dev.hfr.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allowed arrows between hfr's parts (docs/architecture.md draws them), checked over the main classes of
 * every module: shared code (model, storage, browser, ffmpeg, compile, engine) knows no function and no
 * orchestrator; a function knows no orchestrator; functions never know each other (only their shared runtime);
 * the model knows nothing else of ours.
 */
class LayeringTest {
    static final String MODEL = "dev.hfr.model..";
    static final String[] SHARED = {MODEL, "dev.hfr.storage..", "dev.hfr.browser..", "dev.hfr.ffmpeg..",
            "dev.hfr.compile..", "dev.hfr.engine.."};
    static final String FUNCTIONS = "dev.hfr.function..";
    static final String[] ORCHESTRATION = {"dev.hfr.sqs..", "dev.hfr.sfn..", "dev.hfr.local..", "dev.hfr.cli..",
            "dev.hfr.bench.."};
    /** Each function and the runtime they share. */
    static final Map<String, String> FUNCTION_PACKAGES = Map.of(
            "plan", "dev.hfr.function.plan..",
            "render-chunk", "dev.hfr.function.renderchunk..",
            "assemble", "dev.hfr.function.assemble..",
            "runtime", "dev.hfr.function.runtime..");

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hfr");
    }

    @Test
    void everyPartIsOnTheClasspathSoNoRuleHoldsForWantOfClasses() {
        List<String> parts = List.of("dev.hfr.model", "dev.hfr.storage", "dev.hfr.browser", "dev.hfr.ffmpeg",
                "dev.hfr.compile", "dev.hfr.engine", "dev.hfr.function.runtime", "dev.hfr.function.plan",
                "dev.hfr.function.renderchunk", "dev.hfr.function.assemble", "dev.hfr.sqs", "dev.hfr.sqs.lambda",
                "dev.hfr.sfn", "dev.hfr.local", "dev.hfr.cli");
        for (String part : parts) {
            assertTrue(classes.stream().anyMatch(c -> c.getPackageName().equals(part)), "no main class in " + part);
        }
        assertTrue(classes.stream().noneMatch(c -> c.getSimpleName().endsWith("Test")), "test classes were imported");
    }

    @Test
    void theModelImportsNothingElseOfOurs() {
        noClasses().that().resideInAPackage(MODEL)
                .should().dependOnClassesThat().resideInAnyPackage(without(all(), MODEL))
                .because("the model is the wire and the vocabulary every part shares")
                .check(classes);
    }

    @Test
    void sharedCodeImportsNoFunctionAndNoOrchestrator() {
        noClasses().that().resideInAnyPackage(SHARED)
                .should().dependOnClassesThat().resideInAnyPackage(concat(ORCHESTRATION, FUNCTIONS))
                .because("the engine runs the same way under every caller: callers know the engine, not the reverse")
                .check(classes);
    }

    @Test
    void aFunctionImportsNoOrchestrator() {
        noClasses().that().resideInAPackage(FUNCTIONS)
                .should().dependOnClassesThat().resideInAnyPackage(ORCHESTRATION)
                .because("a step function runs a step; the SQS mode's Lambda handlers live in dev.hfr.sqs.lambda")
                .check(classes);
    }

    @Test
    void functionsNeverImportEachOther() {
        FUNCTION_PACKAGES.forEach((name, pkg) -> {
            String[] others = FUNCTION_PACKAGES.entrySet().stream()
                    .filter(e -> !e.getKey().equals(name) && !(e.getKey().equals("runtime") && !name.equals("runtime")))
                    .map(Map.Entry::getValue).toArray(String[]::new);
            ArchRule rule = noClasses().that().resideInAPackage(pkg)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("each function is packaged alone; what they share lives in the runtime");
            rule.check(classes);
        });
    }

    private static String[] all() {
        return concat(concat(SHARED, FUNCTIONS), ORCHESTRATION);
    }

    private static String[] without(String[] all, String one) {
        return java.util.Arrays.stream(all).filter(p -> !p.equals(one)).toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
