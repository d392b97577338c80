package dev.hfr.browser;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Hard deadlines for one page. A page that has not answered by its deadline is running a script that does not
 * return (Runtime.evaluate waits forever behind it, and Playwright with it); a renderer in that state cannot be
 * reused, so the watchdog kills the browser, which fails the pending call at once, and the phase ends with
 * COMPOSITION_SCRIPT_TIMEOUT. Once one deadline fired the page is dead: {@link #hung()} stays true.
 */
final class PageWatchdog implements AutoCloseable {
    /**
     * Slack between a phase's own deadline (checked between polls, while the page still answers) and the hard
     * deadline that kills the browser (a page that stopped answering: a script that never returns).
     */
    static final Duration HARD_DEADLINE_SLACK = Duration.ofSeconds(2);

    private final ScheduledExecutorService timer;
    private final Runnable kill;
    /** What the page was doing when its hard deadline killed the browser; null while none did. */
    private volatile String hungWhile;
    private volatile Duration hungAfter;

    PageWatchdog(Runnable kill) {
        this.kill = kill;
        // two threads: a beginFrame-stall recovery (an HTTP call) must not delay a script deadline's kill
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "hfr-page-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    boolean hung() {
        return hungWhile != null;
    }

    /** What the page was doing when it hung, and for how long it was allowed to (hard deadline included). */
    String hungWhile() {
        return hungWhile;
    }

    Duration hungAfter() {
        return hungAfter == null ? Duration.ZERO : hungAfter.plus(HARD_DEADLINE_SLACK);
    }

    /** Runs {@code task} on the watchdog's thread after {@code delay} unless cancelled. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code body} under a hard deadline of {@code limit} + {@link #HARD_DEADLINE_SLACK}. {@code limit} is
     * the phase's own deadline, which the polling loops check while the page still answers. When the hard
     * deadline fired, {@code timeout} gives the exception to throw (the body's own failure suppressed in it).
     */
    <T> T run(Duration limit, String what, Supplier<T> body, Supplier<RuntimeException> timeout) {
        if (hung()) {
            throw timeout.get();
        }
        Thread caller = Thread.currentThread();
        // the lock orders "the body finished" against "the guard fired": once the caller holds it after the
        // guard, the kill and the interrupt have both happened and the interrupt can be cleared
        Object lock = new Object();
        boolean[] finished = new boolean[1];
        ScheduledFuture<?> guard = schedule(() -> {
            synchronized (lock) {
                if (finished[0]) {
                    return;
                }
                finished[0] = true;
                hungAfter = limit;
                hungWhile = what;
                kill.run();
                // Playwright does not fail a pending CDP call when the browser dies (measured: it waited until
                // the test's 120 s timeout), but its message loop gives up when the waiting thread is interrupted
                caller.interrupt();
            }
        }, limit.plus(HARD_DEADLINE_SLACK));
        RuntimeException failure = null;
        T result = null;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            guard.cancel(false);
            synchronized (lock) {
                finished[0] = true;
            }
        }
        if (hung()) {
            Thread.interrupted();
            RuntimeException e = timeout.get();
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
