package dev.hfr.model;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Killing a set of processes at once: the one place that sends SIGKILL and waits, briefly, for them to be reaped. */
public final class ProcessTrees {
    private ProcessTrees() {
    }

    /**
     * Sends SIGKILL to every handle, then waits for them to exit under one shared deadline of {@code waitMillis}
     * (SIGKILL cannot be ignored; the wait only lets our own children be reaped, init reaps the rest).
     */
    public static void killAndAwait(List<ProcessHandle> handles, long waitMillis) {
        handles.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (ProcessHandle h : handles) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception ignored) {
                // best effort: a zombie reaped by init later is harmless
            }
        }
    }
}
