package dev.hfr.model;

import java.util.Locale;

/**
 * What AWS bills for the parts of a render, per region (USD, on-demand, first tier, after the free tier, as listed on
 * aws.amazon.com/lambda/pricing, /step-functions/pricing and /sqs/pricing). Regions not in
 * the table fall back to us-east-1's prices and say so ({@link #exact()} false), never silently.
 */
public record PriceTable(
        String region,
        boolean exact,
        double lambdaX86GbSecond,
        double lambdaArmGbSecond,
        double lambdaRequest,
        double lambdaEphemeralGbSecond,
        double stepFunctionsTransition,
        double sqsRequest) {

    private static final PriceTable US_EAST_1 = new PriceTable("us-east-1", true,
            0.0000166667, 0.0000133334, 0.0000002, 0.0000000309, 0.000025, 0.0000004);

    /**
     * Regions checked to bill first-tier Lambda, Step Functions Standard and SQS Standard exactly like
     * us-east-1. Others (whose prices differ) use us-east-1's and say so.
     */
    private static final java.util.Set<String> SAME_AS_US_EAST_1 = java.util.Set.of("us-east-1", "us-east-2", "us-west-2");

    public static PriceTable forRegion(String region) {
        String r = region == null ? "" : region.trim().toLowerCase(Locale.ROOT);
        if (SAME_AS_US_EAST_1.contains(r)) {
            return US_EAST_1.in(r, true);
        }
        return US_EAST_1.in(r.isEmpty() ? "unknown" : r, false);
    }

    private PriceTable in(String r, boolean isExact) {
        return new PriceTable(r, isExact, lambdaX86GbSecond, lambdaArmGbSecond, lambdaRequest, lambdaEphemeralGbSecond,
                stepFunctionsTransition, sqsRequest);
    }
}
