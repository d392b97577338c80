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
import java.util.HashMap;
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
 *
 * <p>Every live browser is in one registry with one shutdown hook. Starting a process and registering it
 * happen under the registry's lock, and the hook marks the registry closed under the same lock, so once
 * shutdown has begun no browser can start (a retry loop racing Ctrl-C gets {@link ErrorCode#INTERRUPTED})
 * and none started before can escape the kill.
 */
public final class ChromiumProcess implements AutoCloseable {
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Map<Process, Path> LIVE = new HashMap<>();
    private static boolean shuttingDown;
    private static final java.util.concurrent.atomic.AtomicLong STARTED = new java.util.concurrent.atomic.AtomicLong();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(ChromiumProcess::shutdown, "hfr-chromium-kill"));
        } catch (IllegalStateException alreadyShuttingDown) {
            shuttingDown = true;
        }
    }

    private final Process process;
    private final Path tempRoot;
    private final String wsUrl;
    private final Deque<String> stderrTail;
    private volatile boolean closed;

    private ChromiumProcess(Process process, Path tempRoot, String wsUrl, Deque<String> tail) {
        this.process = process;
        this.stderrTail = tail;
        this.tempRoot = tempRoot;
        this.wsUrl = wsUrl;
    }

    /**
     * Starts Chromium with {@code args}. {@code tempRoot} is this browser's private folder (its profile and
     * temp files); it is removed when the browser is closed, fails to start, or is killed at shutdown.
     */
    public static ChromiumProcess start(Path executable, List<String> args, Path tempRoot, Map<String, String> env,
            Duration startTimeout) {
        return start(List.of(), executable, args, tempRoot, env, startTimeout);
    }

    /**
     * {@link #start(Path, List, Path, Map, Duration)} through {@code launcher} (e.g. {@code setpriv ... --}, which
     * execs the browser in place: the pid we hold is the browser's, see {@link BrowserSandbox}).
     */
    public static ChromiumProcess start(List<String> launcher, Path executable, List<String> args, Path tempRoot,
            Map<String, String> env, Duration startTimeout) {
        List<String> command = new ArrayList<>(launcher);
        command.add(executable.toString());
        command.addAll(args);
        command.add("about:blank");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p;
        synchronized (LIVE) {
            if (shuttingDown) {
                FileTrees.deleteQuietly(tempRoot);
                throw new RenderException(ErrorCode.INTERRUPTED, "not starting a browser: the JVM is shutting down");
            }
            try {
                p = pb.start();
            } catch (IOException e) {
                FileTrees.deleteQuietly(tempRoot);
                throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "cannot start " + executable + ": " + e.getMessage(), e);
            }
            LIVE.put(p, tempRoot);
            STARTED.incrementAndGet();
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
        String ws;
        try {
            ws = url.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ws = null;
        } catch (Exception e) {
            ws = null;
        }
        if (ws == null) {
            kill(p, tempRoot);
            FileTrees.deleteQuietly(tempRoot);
            String tailText;
            synchronized (tail) {
                tailText = String.join("\n", tail);
            }
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, executable + " did not print its DevTools URL within "
                    + startTimeout.toSeconds() + " s (exit " + (p.isAlive() ? "none" : p.exitValue()) + "): "
                    + RenderException.tail(tailText, 8));
        }
        return new ChromiumProcess(p, tempRoot, ws, tail);
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
        kill(process, tempRoot);
        FileTrees.deleteQuietly(tempRoot);
    }

    /** Whether JVM shutdown has begun (no browser starts any more). */
    /** How many browser processes this JVM has started (tests and the bench count browsers per render). */
    public static long started() {
        return STARTED.get();
    }

    public static boolean shutdownBegun() {
        synchronized (LIVE) {
            return shuttingDown;
        }
    }

    /** The shutdown hook: refuse new browsers, then kill every live one with its whole tree. */
    static void shutdown() {
        Map<Process, Path> live;
        synchronized (LIVE) {
            shuttingDown = true;
            live = new HashMap<>(LIVE);
        }
        live.entrySet().parallelStream().forEach(e -> killTree(e.getKey(), e.getValue()));
        live.values().forEach(FileTrees::deleteQuietly);
    }

    private static void kill(Process p, Path tempRoot) {
        killTree(p, tempRoot);
        synchronized (LIVE) {
            LIVE.remove(p);
        }
    }

    /**
     * Kills the browser and every process it forked. The tree is taken first; then any process still alive whose
     * environment names this browser's private {@code tempRoot} as TMPDIR (which every Chromium child inherits) is
     * killed too: a renderer forked between the snapshot and the kill is reparented to init when its parent dies,
     * leaves the tree, and would survive otherwise. One shared, short deadline (this also runs in the shutdown
     * hook, where every millisecond delays Ctrl-C).
     */
    static void killTree(Process p, Path tempRoot) {
        List<ProcessHandle> all = new java.util.ArrayList<>(p.toHandle().descendants().toList());
        all.add(p.toHandle());
        dev.hfr.model.ProcessTrees.killAndAwait(all, 2000);
        if (tempRoot != null) {
            dev.hfr.model.ProcessTrees.killAndAwait(withTmpdir(tempRoot), 500);
        }
    }

    /** Live processes whose TMPDIR is {@code tempRoot} (Linux /proc; elsewhere none are found). */
    static List<ProcessHandle> withTmpdir(Path tempRoot) {
        byte[] marker = ("TMPDIR=" + tempRoot + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses().filter(h -> h.pid() != self && h.isAlive())
                .filter(h -> h.info().command().map(c -> c.contains("chrom")).orElse(false)).filter(h -> {
            try {
                byte[] env = java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "environ"));
                return indexOf(env, marker) >= 0;
            } catch (IOException | RuntimeException e) {
                return false; // gone, or not ours to read
            }
        }).toList();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (i > 0 && hay[i - 1] != 0) {
                continue; // variables start after a NUL
            }
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
