package dev.hfr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a render cost, computed the way AWS bills it: every Lambda invocation's billed duration (rounded up to
 * the millisecond) times its configured memory at the architecture's GB-second price, its request, the
 * ephemeral storage above the free 512 MB, plus Step Functions state transitions and SQS requests. Work done by
 * activity workers on the user's own machines is not billed by AWS per step and is counted as such.
 */
@Serdeable
public record RenderCost(
        @JsonProperty("Region") String region,
        @JsonProperty("TotalUsd") double totalUsd,
        @JsonProperty("LambdaComputeUsd") double lambdaComputeUsd,
        @JsonProperty("LambdaRequestsUsd") double lambdaRequestsUsd,
        @JsonProperty("EphemeralStorageUsd") double ephemeralStorageUsd,
        @JsonProperty("StepFunctionsUsd") double stepFunctionsUsd,
        @JsonProperty("SqsUsd") double sqsUsd,
        @JsonProperty("Invocations") int invocations,
        @JsonProperty("Excludes") String excludes) {

    public static final String EXCLUDES = "S3 storage, requests and transfer, CloudWatch Logs, data transfer, "
            + "SQS long polls that returned no message and DLQ redrives, and machines that run activity workers";

    /** One billed Lambda invocation: its duration, the function's memory and /tmp sizes and architecture. */
    @Serdeable
    public record Invocation(
            @JsonProperty("Step") String step,
            @JsonProperty("BilledMs") long billedMs,
            @JsonProperty("MemoryMb") int memoryMb,
            @JsonProperty("EphemeralMb") int ephemeralMb,
            @JsonProperty("Arm64") boolean arm64) {
        public Invocation {
            if (billedMs < 0 || memoryMb <= 0 || ephemeralMb < 0) {
                throw new IllegalArgumentException("invocation of " + step + ": billedMs " + billedMs
                        + ", memoryMb " + memoryMb + ", ephemeralMb " + ephemeralMb + " (expected >= 0, > 0, >= 0)");
            }
        }
    }

    /** Lambda bills duration in whole milliseconds, rounded up. */
    public static long billedMillis(double measuredMillis) {
        return (long) Math.ceil(Math.max(0, measuredMillis));
    }

    /** Lambda usage summed over invocations, and the SQS mode's requests, in the units AWS bills. */
    @Serdeable
    public record Usage(
            @JsonProperty("Invocations") int invocations,
            @JsonProperty("X86GbSeconds") double x86GbSeconds,
            @JsonProperty("ArmGbSeconds") double armGbSeconds,
            @JsonProperty("ExtraEphemeralGbSeconds") double extraEphemeralGbSeconds,
            @JsonProperty("SqsRequests") long sqsRequests) {
        public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

        public Usage plus(Invocation i) {
            double seconds = i.billedMs() / 1000.0;
            double gbs = seconds * (i.memoryMb() / 1024.0);
            double tmp = seconds * (Math.max(0, i.ephemeralMb() - 512) / 1024.0);
            return new Usage(invocations + 1, x86GbSeconds + (i.arm64() ? 0 : gbs), armGbSeconds + (i.arm64() ? gbs : 0),
                    extraEphemeralGbSeconds + tmp, sqsRequests);
        }

        public Usage plusSqsRequests(long requests) {
            return new Usage(invocations, x86GbSeconds, armGbSeconds, extraEphemeralGbSeconds, sqsRequests + requests);
        }

        /** True when nothing billable was recorded (no Lambda invocation, no SQS request). */
        public boolean isEmpty() {
            return invocations == 0 && sqsRequests == 0;
        }
    }

    public static RenderCost of(PriceTable prices, List<Invocation> invocations, long stateTransitions, long sqsRequests) {
        Usage u = Usage.NONE;
        for (Invocation i : invocations) {
            u = u.plus(i);
        }
        return of(prices, u, stateTransitions, sqsRequests);
    }

    /** {@code sqsRequests} are counted beside the ones {@code usage} recorded (0 when the document has them all). */
    public static RenderCost of(PriceTable prices, Usage usage, long stateTransitions, long sqsRequests) {
        double compute = usage.x86GbSeconds() * prices.lambdaX86GbSecond() + usage.armGbSeconds() * prices.lambdaArmGbSecond();
        double storage = usage.extraEphemeralGbSeconds() * prices.lambdaEphemeralGbSecond();
        double requests = usage.invocations() * prices.lambdaRequest();
        double sfn = stateTransitions * prices.stepFunctionsTransition();
        double sqs = (usage.sqsRequests() + sqsRequests) * prices.sqsRequest();
        String excludes = EXCLUDES + (prices.exact() ? ""
                : "; no price table for region " + prices.region() + ", so us-east-1 prices were used");
        return new RenderCost(prices.region(), compute + requests + storage + sfn + sqs, compute, requests, storage, sfn, sqs,
                usage.invocations(), excludes);
    }

    /** For a progress line or summary: "$0.0213 (Lambda $0.0190, Step Functions $0.0008, ...)". */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add(String.format(java.util.Locale.ROOT, "Lambda $%.4f", lambdaComputeUsd + lambdaRequestsUsd + ephemeralStorageUsd));
        if (stepFunctionsUsd > 0) {
            parts.add(String.format(java.util.Locale.ROOT, "Step Functions $%.4f", stepFunctionsUsd));
        }
        if (sqsUsd > 0) {
            parts.add(String.format(java.util.Locale.ROOT, "SQS $%.4f", sqsUsd));
        }
        return String.format(java.util.Locale.ROOT, "$%.4f (%s; excludes %s)", totalUsd, String.join(", ", parts), excludes);
    }
}
