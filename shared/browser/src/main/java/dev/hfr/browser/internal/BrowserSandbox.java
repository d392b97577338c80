package dev.hfr.browser.internal;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Whether Chromium runs with its own sandbox (user namespaces + seccomp-bpf for the renderers), and as whom.
 *
 * <p>Chromium refuses its sandbox as root, so a JVM running as root (containers, {@code hf worker} on a VM) used to
 * start every browser with {@code --no-sandbox}: a renderer exploit then ran as root with every syscall. Now, when
 * the JVM is root, the kernel allows unprivileged user namespaces and {@code setpriv} is there, the browser is
 * started through {@code setpriv --reuid=65534 --regid=65534 --clear-groups --} (the exec keeps the pid, so the
 * process-tree kill and the TMPDIR sweep of {@link ChromiumProcess} still find it) with its private folder
 * (profile, TMPDIR, HOME) owned by that user, and without {@code --no-sandbox}. {@code --no-sandbox} stays where the
 * sandbox cannot work: on Lambda (no user namespaces), where the kernel refuses unprivileged user namespaces, where
 * the browser's folder is not reachable by another user (a private 0700 {@code java.io.tmpdir}), without
 * {@code setpriv}, and for a non-root JVM (unchanged: whether its kernel allows the sandbox is not probed), each
 * said once in the log. {@code HFR_BROWSER_SANDBOX=off} opts out, {@code =auto} (the default) decides as above.
 *
 * @param dropToUid the uid (and gid) the browser runs as, or -1 to run as the JVM's user with {@code --no-sandbox}
 * @param reason    why, for the log line
 */
public record BrowserSandbox(int dropToUid, String reason) {
    public static final String ENV = "HFR_BROWSER_SANDBOX";
    /** {@code nobody} on Debian: owns nothing, in no group. */
    public static final int NOBODY = 65534;
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private static volatile String logged;

    public boolean sandboxed() {
        return dropToUid >= 0;
    }

    /** The decision for this process: environment, uid, kernel and {@code setpriv} as they are. */
    public static BrowserSandbox forThisProcess(Path tempRoot) {
        return decide(System::getenv, currentUid(), read(Path.of("/proc/sys/user/max_user_namespaces")),
                read(Path.of("/proc/sys/kernel/unprivileged_userns_clone")), Files.isExecutable(SETPRIV),
                othersCanReach(tempRoot));
    }

    /** The rules of the class comment, over plain values (unit-tested). */
    static BrowserSandbox decide(Function<String, String> env, long uid, String maxUserNamespaces,
                                 String unprivilegedUsernsClone, boolean setpriv, boolean folderReachable) {
        String mode = env.apply(ENV) == null ? "auto" : env.apply(ENV).trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("off")) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, ENV + " is '" + env.apply(ENV) + "': expected auto or off");
        }
        if (mode.equals("off")) {
            return new BrowserSandbox(-1, ENV + "=off");
        }
        if (env.apply("AWS_LAMBDA_FUNCTION_NAME") != null) {
            return new BrowserSandbox(-1, "AWS Lambda has no user namespaces for Chromium's sandbox");
        }
        if (uid != 0) {
            return new BrowserSandbox(-1, "the JVM is not root (uid " + uid + "); its kernel's support for the sandbox is not probed");
        }
        if ("0".equals(maxUserNamespaces) || "0".equals(unprivilegedUsernsClone)) {
            return new BrowserSandbox(-1, "the kernel refuses unprivileged user namespaces (user.max_user_namespaces="
                    + maxUserNamespaces + ", kernel.unprivileged_userns_clone=" + unprivilegedUsernsClone + ")");
        }
        if (!setpriv) {
            return new BrowserSandbox(-1, SETPRIV + " is missing (util-linux), so the browser cannot drop root");
        }
        if (!folderReachable) {
            return new BrowserSandbox(-1, "the browser's folder is inside a directory other users cannot enter"
                    + " (java.io.tmpdir is private)");
        }
        return new BrowserSandbox(NOBODY, "the JVM is root: the browser runs as uid " + NOBODY + " with its sandbox");
    }

    /** What goes before the executable: {@code setpriv ... --} when dropping root, else nothing. */
    public List<String> launcher() {
        if (!sandboxed()) {
            return List.of();
        }
        return List.of(SETPRIV.toString(), "--reuid=" + dropToUid, "--regid=" + dropToUid, "--clear-groups", "--");
    }

    /**
     * Hands the browser's private folder to the user it runs as, and points HOME there (root's home is not
     * writable by that user). Nothing to do without a privilege drop.
     */
    public void prepare(Path tempRoot, Map<String, String> env) {
        if (!sandboxed()) {
            return;
        }
        env.put("HOME", tempRoot.toString());
        try (Stream<Path> all = Files.walk(tempRoot)) {
            for (Path p : all.toList()) {
                Files.setAttribute(p, "unix:uid", dropToUid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", dropToUid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new RenderException(ErrorCode.BROWSER_UNAVAILABLE, "cannot hand the browser folder " + tempRoot
                    + " to uid " + dropToUid + ": " + e.getMessage(), e);
        }
    }

    /** One log line per distinct decision and process. */
    public void logOnce() {
        String line = (sandboxed() ? "Chromium sandbox on: " : "Chromium runs with --no-sandbox: ") + reason;
        if (!line.equals(logged)) {
            logged = line;
            System.getLogger(BrowserSandbox.class.getName()).log(System.Logger.Level.INFO, line);
        }
    }

    static long currentUid() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    return Long.parseLong(l.substring(4).trim().split("\\s+")[1]); // the effective uid
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: treat as unprivileged, which keeps --no-sandbox
        }
        return -1;
    }

    /** Every ancestor of {@code dir} can be entered by others (o+x), so a dropped user reaches it. */
    static boolean othersCanReach(Path dir) {
        try {
            for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return null; // absent: the kernel has no such switch
        }
    }

    /** The flags Chromium gets for this decision (see {@code ChromeArgs.sandbox}). */
    public List<String> flags() {
        List<String> f = new ArrayList<>();
        if (!sandboxed()) {
            f.add("--no-sandbox");
        }
        f.add("--disable-setuid-sandbox"); // no setuid helper is installed: the namespace sandbox is the one used
        return f;
    }
}
