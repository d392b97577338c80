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

    /** Waits until the execution is no longer RUNNING; wall clock measured from {@code t0} (nanoTime). */
    Outcome await(String executionArn, Duration timeout, long t0) {
        long deadline = System.nanoTime() + timeout.toNanos();
        DescribeExecutionResponse d;
        while (true) {
            d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("execution still RUNNING after " + timeout + ": " + executionArn);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        List<HistoryEvent> history = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events().forEach(history::add);
        return new Outcome(d.status(), d.error(), d.cause(), d.output(), millis, history);
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
