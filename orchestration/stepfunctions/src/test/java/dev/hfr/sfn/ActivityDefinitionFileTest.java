package dev.hfr.sfn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The activity definition template.yaml deploys (ComputeMode=workers|both) is forActivities of the one definition. */
class ActivityDefinitionFileTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = ActivityDefinitionFileTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shippedActivityFileIsForActivitiesOfTheShippedDefinition() throws IOException {
        List<String> p = StateMachineDefinition.ACTIVITY_SUBSTITUTIONS;
        String expected = StateMachineDefinition.load()
                .forActivities("${" + p.get(0) + "}", "${" + p.get(1) + "}", "${" + p.get(2) + "}");
        String shipped = resource(StateMachineDefinition.ACTIVITIES_RESOURCE);
        assertEquals(normalise(StateMachineDefinition.parse(expected)), normalise(StateMachineDefinition.parse(shipped)),
                StateMachineDefinition.ACTIVITIES_RESOURCE + " is out of date; regenerate it: scripts/smoke.sh "
                        + "--print-activity-definition '${PlanActivityArn}' '${RenderChunkActivityArn}' "
                        + "'${AssembleActivityArn}' > orchestration/stepfunctions/src/main/resources/"
                        + StateMachineDefinition.ACTIVITIES_RESOURCE);
        assertEquals(p, StateMachineDefinition.of(shipped).placeholders());
        // LocalStack's ASL parser rejects an integer ToleratedFailurePercentage
        assertTrue(shipped.contains("\"ToleratedFailurePercentage\": 0.0"), "float literal needed");
        assertTrue(!shipped.contains("lambda:invoke"), "no Lambda task may remain in the activity form");
    }

    /** Numbers as doubles, maps order-insensitive. */
    private static Object normalise(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normalise(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(ActivityDefinitionFileTest::normalise).toList();
        }
        return o instanceof Number n ? (Object) n.doubleValue() : o;
    }
}
