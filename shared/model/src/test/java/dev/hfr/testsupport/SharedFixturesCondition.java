package dev.hfr.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The condition behind {@link RequiresSharedFixtures}: enabled when ../shared/fixtures exists, else says why once per class. */
public final class SharedFixturesCondition implements ExecutionCondition {
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (SharedFixtures.root().isPresent()) {
            return ConditionEvaluationResult.enabled("../shared/fixtures is present");
        }
        String where = context.getTestClass().map(Class::getName).orElse(context.getDisplayName());
        String reason = "not run: " + where + " needs ../shared/fixtures (HyperFrames' regression corpus), which is not"
                + " beside " + SharedFixtures.repoRoot();
        if (REPORTED.add(where)) {
            System.err.println("[hfr-tests] " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
