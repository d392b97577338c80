package dev.hfr.browser.internal;

import dev.hfr.model.FileTrees;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Chromium process we started ourselves (so we own its flags and its whole process tree): reads the
 * DevTools URL from stderr, keeps the stderr tail for error messages, kills every descendant on close and
 * on JVM shutdown.
 */
public final class ChromiumProcess implements AutoCloseable {
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path userDataDir;
    private final String wsUrl;
    private final Deque<String> stderrTail;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private ChromiumProcess(Process process, Path userDataDir, String wsUrl, Thread hook, Deque<String> tail) {
        this.process = process;
        this.stderrTail = tail;
        this.userDataDir = userDataDir;
        this.wsUrl = wsUrl;
        this.shutdownHook = hook;
    }

    public static ChromiumProcess start(Path executable, List<String> args, Path userDataDir, Map<String, String> env,
            Duration startTimeout) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        command.add("about:blank");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "cannot start " + executable + ": " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 40) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process went away; waitFor below reports it
            }
            url.complete(null);
        }, "hfr-chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        Thread hook = new Thread(() -> killTree(p), "hfr-chromium-kill");
        Runtime.getRuntime().addShutdownHook(hook);
        String ws;
        try {
            ws = url.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ws = null;
        } catch (Exception e) {
            ws = null;
        }
        if (ws == null) {
            killTree(p);
            removeHook(hook);
            String tailText;
            synchronized (tail) {
                tailText = String.join("\n", tail);
            }
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, executable + " did not print its DevTools URL within "
                    + startTimeout.toSeconds() + " s (exit " + (p.isAlive() ? "none" : p.exitValue()) + "): "
                    + RenderException.tail(tailText, 8));
        }
        return new ChromiumProcess(p, userDataDir, ws, hook, tail);
    }

    public String wsUrl() {
        return wsUrl;
    }

    /** Port of the DevTools HTTP endpoint (/json/...), taken from the ws URL. */
    public int devtoolsPort() {
        Matcher m = Pattern.compile("ws://[^:/]+:(\\d+)/").matcher(wsUrl);
        if (!m.find()) {
            throw new IllegalStateException("unexpected DevTools URL " + wsUrl);
        }
        return Integer.parseInt(m.group(1));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        killTree(process);
        removeHook(shutdownHook);
        FileTrees.deleteQuietly(userDataDir);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    static void killTree(Process p) {
        // children first: renderer/GPU/zygote processes outlive a killed parent otherwise
        List<ProcessHandle> descendants = p.toHandle().descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : descendants) {
            try {
                h.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort: a zombie reaped by init later is harmless
            }
        }
    }
}
