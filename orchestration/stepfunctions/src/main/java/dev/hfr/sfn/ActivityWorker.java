package dev.hfr.sfn;

import dev.hfr.engine.Engine;
import dev.hfr.engine.dispatch.StepDispatcher;
import dev.hfr.engine.dispatch.StepLog;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.model.Step;
import io.micronaut.serde.ObjectMapper;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one render step for one Step Functions activity: N threads long-poll {@code GetActivityTask}, run the
 * task input through {@link StepDispatcher#dispatch(String, String)} and answer with {@code SendTaskSuccess}
 * (the result JSON) or {@code SendTaskFailure} (error = the {@link ErrorCode} name, so the state machine's Retry
 * and Catch rules see the same names as with Lambda). Chunk workers can so run on any machine and for longer
 * than Lambda's 15 minutes.
 *
 * <p>Rules learned against LocalStack and AWS: an empty task token means "poll again"; every exception is caught
 * inside the loop (an escaped one would kill the thread and leave the execution waiting); heartbeats are sent only
 * when the state sets HeartbeatSeconds ({@link Options#heartbeatInterval()}), because a heartbeat for a state
 * without it is rejected by LocalStack. After {@link #stop()}, a long poll already in flight may still claim a task
 * for up to 60 s; such a task is still run and answered, never dropped.
 */
public final class ActivityWorker implements AutoCloseable {
    /** SendTaskFailure limits: error 256 characters, cause 32768. */
    static final int MAX_ERROR_CHARS = 256;
    static final int MAX_CAUSE_CHARS = 32_768;
    private static final Duration POLL_ERROR_BACKOFF = Duration.ofSeconds(1);

    /**
     * @param threads           concurrent tasks (and long polls) for this activity
     * @param workerName        reported to Step Functions in the history (ActivityStarted.workerName)
     * @param heartbeatInterval null unless the Task state sets HeartbeatSeconds; then send one this often
     */
    public record Options(int threads, String workerName, Duration heartbeatInterval) {
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            workerName = workerName == null || workerName.isBlank() ? defaultWorkerName() : workerName;
        }

        public static Options threads(int threads) {
            return new Options(threads, null, null);
        }

        private static String defaultWorkerName() {
            String host = System.getenv("HOSTNAME");
            return "hfr-" + (host == null ? "worker" : host) + "-" + ProcessHandle.current().pid();
        }
    }

    private final SfnClient sfn;
    private final String activityArn;
    private final Step step;
    private final StepDispatcher dispatcher;
    private final Options options;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    /** Threads inside GetActivityTask; guarded by itself so stop() never interrupts a thread running a step. */
    private final Set<Thread> polling = new HashSet<>();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong pollErrors = new AtomicLong();

    public ActivityWorker(SfnClient sfn, String activityArn, Step step, StepDispatcher dispatcher, Options options) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.activityArn = Objects.requireNonNull(activityArn, "activityArn");
        this.step = Objects.requireNonNull(step, "step");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A worker for {@code step} running the engine's real services. */
    public static ActivityWorker forEngine(SfnClient sfn, String activityArn, Step step, Engine engine, int threads) {
        return new ActivityWorker(sfn, activityArn, step, engine.dispatcher(), Options.threads(threads));
    }

    /**
     * Starts one worker per step for a state machine built with
     * {@link StateMachineDefinition#forActivities(String, String, String)}: one thread each for plan and
     * assemble, {@code chunkThreads} for renderChunk. Stop them with {@link #stopAll(List)}.
     */
    public static List<ActivityWorker> startAll(SfnClient sfn, RenderActivities activities, StepDispatcher dispatcher,
                                                int chunkThreads) {
        List<ActivityWorker> workers = List.of(
                new ActivityWorker(sfn, activities.planArn(), Step.PLAN, dispatcher, Options.threads(1)),
                new ActivityWorker(sfn, activities.renderChunkArn(), Step.RENDER_CHUNK, dispatcher,
                        Options.threads(chunkThreads)),
                new ActivityWorker(sfn, activities.assembleArn(), Step.ASSEMBLE, dispatcher, Options.threads(1)));
        workers.forEach(ActivityWorker::start);
        return workers;
    }

    public static void stopAll(List<ActivityWorker> workers) {
        workers.forEach(ActivityWorker::stop);
    }

    /** Starts the polling threads (virtual threads: each spends most of its life blocked in a 60 s long poll). */
    public synchronized ActivityWorker start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("worker for " + activityArn + " already started");
        }
        for (int i = 0; i < options.threads(); i++) {
            threads.add(Thread.ofVirtual().name("hfr-activity-" + step + "-" + i).start(this::loop));
        }
        return this;
    }

    /**
     * Stops polling. Tasks already claimed run to completion and are answered; threads idle in a long poll are
     * interrupted, but the service may still hand such a poll a task (see the class comment).
     */
    public void stop() {
        running.set(false);
        synchronized (polling) {
            polling.forEach(Thread::interrupt);
        }
    }

    /**
     * Waits until every polling thread has ended (after {@link #stop()}): an idle long poll is interrupted, which
     * closes its socket on a virtual thread, and a running task is finished and answered first.
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(threads);
        }
        for (Thread t : snapshot) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0 || !t.join(Duration.ofNanos(leftNanos))) {
                return false;
            }
        }
        return true;
    }

    /** Threads currently waiting in GetActivityTask. */
    public int pollingThreads() {
        synchronized (polling) {
            return polling.size();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean running() {
        return running.get();
    }

    public String activityArn() {
        return activityArn;
    }

    public long tasksSucceeded() {
        return succeeded.get();
    }

    public long tasksFailed() {
        return failed.get();
    }

    public long pollErrors() {
        return pollErrors.get();
    }

    private void loop() {
        while (running.get()) {
            GetActivityTaskResponse task;
            synchronized (polling) {
                if (!running.get()) {
                    break;
                }
                polling.add(Thread.currentThread());
            }
            try {
                task = sfn.getActivityTask(b -> b.activityArn(activityArn).workerName(options.workerName()));
            } catch (RuntimeException e) {
                if (!running.get()) {
                    break;
                }
                pollErrors.incrementAndGet();
                StepLog.warning("activity_poll_failed", null, step.wireName() + ": GetActivityTask failed: " + e);
                LockSupport.parkNanos(POLL_ERROR_BACKOFF.toNanos());
                continue;
            } finally {
                synchronized (polling) {
                    polling.remove(Thread.currentThread());
                    Thread.interrupted(); // an interrupt meant for the poll must not leak into the step
                }
            }
            String token = task.taskToken();
            if (token == null || token.isEmpty()) {
                continue; // the long poll ended without work
            }
            try {
                runTask(token, task.input());
            } catch (RuntimeException e) {
                // never let one task kill the thread: the execution would wait forever for an answer; log it
                StepLog.failure(new StepLog.Context(step.wireName()), 0, RenderException.wrap(e));
                failed.incrementAndGet();
            }
        }
    }

    private void runTask(String token, String input) {
        long t0 = System.nanoTime();
        TaskIds ids = TaskIds.of(input);
        Thread heartbeat = startHeartbeat(token);
        String result;
        try {
            result = dispatcher.dispatch(step, input);
        } catch (RuntimeException e) {
            stopHeartbeat(heartbeat);
            RenderException re = RenderException.wrap(e);
            sendFailure(token, re.code().name(), re.getMessage());
            failed.incrementAndGet();
            StepLog.task("activity", step.wireName(), ids.renderId(), ids.chunk(), millisSince(t0), "failed", re.code().name());
            return;
        }
        stopHeartbeat(heartbeat);
        String renderId = ids.renderId() != null ? ids.renderId() : TaskIds.of(result).renderId(); // plan: in its result
        try {
            sfn.sendTaskSuccess(b -> b.taskToken(token).output(result));
            succeeded.incrementAndGet();
            StepLog.task("activity", step.wireName(), renderId, ids.chunk(), millisSince(t0), "succeeded", null);
        } catch (RuntimeException e) {
            // e.g. the output exceeds the 256 KiB state limit: fail the task instead of leaving it to time out
            sendFailure(token, ErrorCode.INTERNAL_ERROR.name(), "cannot send the " + step + " result to Step Functions: "
                    + e.getMessage());
            failed.incrementAndGet();
            StepLog.task("activity", step.wireName(), renderId, ids.chunk(), millisSince(t0), "failed", ErrorCode.INTERNAL_ERROR.name());
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** RenderId and ChunkIndex of a task's input or result, for the task log line; nulls when absent or unreadable. */
    record TaskIds(String renderId, Integer chunk) {
        static TaskIds of(String json) {
            try {
                Object node = ObjectMapper.getDefault().readValue(json, Object.class);
                if (node instanceof Map<?, ?> m) {
                    Object id = m.get("RenderId");
                    Object chunk = m.get("ChunkIndex");
                    return new TaskIds(id instanceof String s ? s : null, chunk instanceof Number n ? n.intValue() : null);
                }
            } catch (IOException | RuntimeException e) {
                // the dispatcher reports a malformed input with its own error; the log line just lacks the ids
            }
            return new TaskIds(null, null);
        }
    }

    private void sendFailure(String token, String error, String cause) {
        try {
            sfn.sendTaskFailure(b -> b.taskToken(token).error(truncate(error, MAX_ERROR_CHARS))
                    .cause(truncate(cause == null ? "" : cause, MAX_CAUSE_CHARS)));
        } catch (RuntimeException e) {
            // the execution will time the task out instead: say so whatever the log level
            StepLog.failure(new StepLog.Context(step.wireName()), 0, new RenderException(ErrorCode.STORAGE_ERROR,
                    "cannot report " + error + " to Step Functions: " + e.getMessage(), e));
        }
    }

    private Thread startHeartbeat(String token) {
        Duration every = options.heartbeatInterval();
        if (every == null || every.isZero() || every.isNegative()) {
            return null;
        }
        return Thread.ofVirtual().name("hfr-activity-heartbeat-" + step).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(every.toNanos());
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                try {
                    sfn.sendTaskHeartbeat(b -> b.taskToken(token));
                } catch (RuntimeException e) {
                    // TaskTimedOut: the state gave up on us; the step's result will be rejected too
                    return;
                }
            }
        });
    }

    private static void stopHeartbeat(Thread heartbeat) {
        if (heartbeat != null) {
            heartbeat.interrupt();
        }
    }

    static String truncate(String s, int maxChars) {
        if (s.length() <= maxChars) {
            return s;
        }
        String marker = "...[truncated]";
        return s.substring(0, maxChars - marker.length()) + marker;
    }
}
