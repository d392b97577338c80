package dev.hfr.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RenderCostTest {
    private static final double EPS = 1e-12;

    @Test
    void computesWhatAwsBillsForEachPart() {
        PriceTable p = PriceTable.forRegion("us-east-1");
        // a chunk: 10 s at 10240 MB x86 with 2048 MB of /tmp; a plan: 3 s at 3008 MB arm64 with 512 MB
        RenderCost c = RenderCost.of(p, List.of(
                new RenderCost.Invocation("renderChunk", 10_000, 10240, 2048, false),
                new RenderCost.Invocation("plan", 3_000, 3008, 512, true)), 14, 0);
        double compute = 10 * 10.0 * 0.0000166667 + 3 * (3008 / 1024.0) * 0.0000133334;
        double storage = 10 * (1536 / 1024.0) * 0.0000000309;
        assertEquals(compute, c.lambdaComputeUsd(), EPS);
        assertEquals(storage, c.ephemeralStorageUsd(), EPS);
        assertEquals(2 * 0.0000002, c.lambdaRequestsUsd(), EPS);
        assertEquals(14 * 0.000025, c.stepFunctionsUsd(), EPS);
        assertEquals(0, c.sqsUsd(), EPS);
        assertEquals(compute + storage + 2 * 0.0000002 + 14 * 0.000025, c.totalUsd(), EPS);
        assertEquals(2, c.invocations());
        assertTrue(c.summary().startsWith("$0.00"), c.summary());
        assertTrue(c.summary().contains("excludes S3"), c.summary());
    }

    @Test
    void billedDurationIsRoundedUpToTheMillisecond() {
        assertEquals(1, RenderCost.billedMillis(0.2));
        assertEquals(1001, RenderCost.billedMillis(1000.01));
        assertEquals(0, RenderCost.billedMillis(-3));
    }

    @Test
    void aRegionWithoutAPriceTableSaysSoInsteadOfGuessingSilently() {
        PriceTable unknown = PriceTable.forRegion("xx-mars-1");
        assertFalse(unknown.exact());
        RenderCost c = RenderCost.of(unknown, List.of(), 0, 10);
        assertTrue(c.excludes().contains("no price table for region xx-mars-1"), c.excludes());
        assertEquals(10 * 0.0000004, c.sqsUsd(), EPS);
        assertFalse(PriceTable.forRegion("sa-east-1").exact());
        assertTrue(PriceTable.forRegion("US-WEST-2").exact());
    }

    @Test
    void sqsRequestsTheDocumentRecordedArePricedAndSurviveLambdaUsage() throws Exception {
        RenderCost.Usage u = RenderCost.Usage.NONE.plusSqsRequests(7)
                .plus(new RenderCost.Invocation("plan", 1_000, 1024, 512, false)).plusSqsRequests(5);
        assertEquals(12, u.sqsRequests());
        assertEquals(1, u.invocations());
        RenderCost c = RenderCost.of(PriceTable.forRegion("us-east-1"), u, 0, 3);
        assertEquals(15 * 0.0000004, c.sqsUsd(), EPS);
        assertTrue(c.summary().contains("SQS $"), c.summary());
        assertTrue(c.excludes().contains("SQS long polls that returned no message"), c.excludes());
        assertFalse(c.excludes().contains("SQS requests"), "SQS requests are counted now: " + c.excludes());
        assertTrue(RenderCost.Usage.NONE.isEmpty());
        assertFalse(RenderCost.Usage.NONE.plusSqsRequests(1).isEmpty());
        // the document's JSON carries them
        String json = io.micronaut.serde.ObjectMapper.getDefault().writeValueAsString(u);
        assertTrue(json.contains("\"SqsRequests\":12"), json);
        assertEquals(u, io.micronaut.serde.ObjectMapper.getDefault().readValue(json, RenderCost.Usage.class));
    }

    @Test
    void aMalformedInvocationIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new RenderCost.Invocation("plan", -1, 1024, 512, false));
        assertThrows(IllegalArgumentException.class, () -> new RenderCost.Invocation("plan", 1, 0, 512, false));
    }
}
