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
            // a zombie is dead, only not yet reaped: waiting for its parent (init, or a sandbox's PID-namespace init
            // that died with it) to reap it would spend the whole deadline, which Ctrl-C cannot afford
            while (h.isAlive() && !zombie(h) && System.nanoTime() < deadline) {
                try {
                    h.onExit().get(20, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // poll again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception ignored) {
                    break; // best effort
                }
            }
        }
    }

    /** Linux: the process has exited and waits to be reaped (state Z in /proc/PID/stat); elsewhere false. */
    public static boolean zombie(ProcessHandle h) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(h.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && (stat.charAt(end + 2) == 'Z' || stat.charAt(end + 2) == 'X');
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
