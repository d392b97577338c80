package dev.hfr.engine.plan;

import dev.hfr.browser.BrowserOptions;
import dev.hfr.browser.BrowserSession;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The probe's browser, started while the project compiles: launching Chromium takes 0.5–1 s and does not need the
 * compiled site, which the session serves only once it is claimed. Started at the size the project's entry
 * declares (or the config sets); {@link #take} hands it over only when the compiled document asks for the same
 * size, and otherwise (or when the start failed) the probe starts its own as before, which reports any error.
 */
final class EarlyBrowser implements AutoCloseable {
    private final CompletableFuture<BrowserSession> session;
    private final int width;
    private final int height;
    private boolean taken;

    private EarlyBrowser(CompletableFuture<BrowserSession> session, int width, int height) {
        this.session = session;
        this.width = width;
        this.height = height;
    }

    static EarlyBrowser start(BrowserOptions options, int width, int height) {
        CompletableFuture<BrowserSession> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(BrowserSession.start(options, width, height));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "hfr-probe-browser-start");
        t.setDaemon(true);
        t.start();
        return new EarlyBrowser(f, width, height);
    }

    /** The started session if it has the size the probe wants and started, else null ({@link #close} closes it). */
    BrowserSession take(int wantedWidth, int wantedHeight) {
        if (wantedWidth != width || wantedHeight != height) {
            return null;
        }
        try {
            BrowserSession s = session.get();
            taken = true;
            return s;
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Closes the session unless it was taken (also one still starting: it is closed once started). */
    @Override
    public void close() {
        if (!taken) {
            session.thenAccept(BrowserSession::close);
        }
    }
}
