package dev.hfr.sfn;

import dev.hfr.engine.dispatch.StepDispatcher;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * One state machine built from the shipped definition with {@link StateMachineDefinition#forActivities}, its own
 * three activities (unique names: a stopped worker's long poll may claim tasks for 60 s), and workers running
 * {@code dispatcher} in this JVM. Pass {@code engine.dispatcher()} of a real Engine for an end-to-end render.
 */
final class ActivityRenderHarness implements AutoCloseable {
    /** What an execution ended with, plus its history for diagnostics. */
    record Outcome(ExecutionStatus status, String error, String cause, String output, long wallClockMillis,
                   List<HistoryEvent> history) {
        @Override
        public String toString() {
            return status + " error=" + error + " cause=" + cause + " output=" + output;
        }
    }

    private final SfnClient sfn;
    private final RenderActivities activities;
    private final String stateMachineArn;
    private final List<ActivityWorker> workers;

    ActivityRenderHarness(SfnClient sfn, StepDispatcher dispatcher, int chunkThreads, int retryIntervalSeconds) {
        this(sfn, StateMachineDefinition.load().withRetryIntervalSeconds(retryIntervalSeconds),
                workers -> ActivityWorker.startAll(sfn, workers, dispatcher, chunkThreads));
    }

    /** With any definition and any way of starting workers for the harness's activities. */
    ActivityRenderHarness(SfnClient sfn, StateMachineDefinition shipped,
                          java.util.function.Function<RenderActivities, List<ActivityWorker>> startWorkers) {
        this.sfn = sfn;
        String name = "hfr-test-" + UUID.randomUUID().toString().substring(0, 8);
        this.activities = RenderActivities.create(sfn, name);
        String definition = activities.definition(shipped);
        this.stateMachineArn = sfn.createStateMachine(b -> b.name(name).definition(definition)
                .roleArn("arn:aws:iam::000000000000:role/hfr-test")).stateMachineArn();
        this.workers = startWorkers.apply(activities);
    }

    Outcome run(String inputJson, Duration timeout) {
        long t0 = System.nanoTime();
        return await(start(inputJson), timeout, t0);
    }

    /** Starts an execution and returns its ARN (follow it with {@link #await}). */
    String start(String inputJson) {
        return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).input(inputJson)).executionArn();
    }

    /**
     * Like {@link #run(String, Duration)} for executions whose length depends on how fast this machine and LocalStack
     * are: fails only when {@code progress} (a count that grows while the execution works, such as steps run) has not
     * grown for {@code stall}, or when {@code cap} has passed.
     */
    Outcome runWhileProgressing(String inputJson, IntSupplier progress, BooleanSupplier abandon, Duration stall,
                                Duration cap) {
        long t0 = System.nanoTime();
        return await(start(inputJson), progress, abandon, stall, cap, t0);
    }

    /** Thrown by {@link #runWhileProgressing} when its {@code abandon} condition became true. */
    static final class Abandoned extends RuntimeException {
        Abandoned(String executionArn) {
            super("abandoned while RUNNING: " + executionArn);
        }
    }

    /** Waits until the execution is no longer RUNNING; wall clock measured from {@code t0} (nanoTime). */
    Outcome await(String executionArn, Duration timeout, long t0) {
        return await(executionArn, () -> 0, () -> false, timeout, timeout, t0);
    }

    private Outcome await(String executionArn, IntSupplier progress, BooleanSupplier abandon, Duration stall,
                          Duration cap, long t0) {
        long deadline = System.nanoTime() + cap.toNanos();
        int seen = progress.getAsInt();
        long lastGrowth = System.nanoTime();
        DescribeExecutionResponse d;
        while (true) {
            d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                break;
            }
            if (abandon.getAsBoolean()) {
                throw new Abandoned(executionArn);
            }
            long now = System.nanoTime();
            int p = progress.getAsInt();
            if (p != seen) {
                seen = p;
                lastGrowth = now;
            }
            if (now > deadline || now - lastGrowth > stall.toNanos()) {
                throw new AssertionError(historySummary(executionArn) + "execution still RUNNING after " + Duration.ofNanos(now - t0).toSeconds()
                        + " s (" + (now > deadline ? "cap " + cap : "no progress for " + stall) + ", progress " + p
                        + "): " + executionArn);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        List<HistoryEvent> history = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events().forEach(history::add);
        return new Outcome(d.status(), d.error(), d.cause(), d.output(), millis, history);
    }

    /** Event type counts of the execution's history, for a failure message: which step it is waiting in. */
    private String historySummary(String executionArn) {
        try {
            var counts = new java.util.TreeMap<String, Integer>();
            sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events()
                    .forEach(e -> counts.merge(e.typeAsString(), 1, Integer::sum));
            return "history " + counts + "; ";
        } catch (RuntimeException e) {
            return "(history unreadable: " + e + ") ";
        }
    }

    @Override
    public void close() {
        ActivityWorker.stopAll(workers);
        try {
            sfn.deleteStateMachine(b -> b.stateMachineArn(stateMachineArn));
        } catch (RuntimeException e) {
            // best effort
        }
        activities.delete(sfn);
    }
}
