package dev.hfr.cli;

import dev.hfr.engine.chunk.RenderChunkService.ChunkTimings;
import dev.hfr.local.LocalRenderSummary;
import dev.hfr.local.RenderProgress;
import dev.hfr.model.PlanResult;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Progress of {@code hf render}: a live bar on a terminal (frames, chunks, fps, ETA), plain lines every
 * 10 % otherwise or with --quiet, JSON lines with --json; then a summary.
 */
abstract class ProgressDisplay implements RenderProgress {
    protected final PrintStream out;
    protected volatile PlanResult plan;
    protected final ConcurrentHashMap<Integer, Integer> framesPerChunk = new ConcurrentHashMap<>();
    protected final AtomicInteger chunksDone = new AtomicInteger();
    protected volatile long renderStartNanos;
    protected volatile String stage = "plan";

    ProgressDisplay(PrintStream out) {
        this.out = out;
    }

    static ProgressDisplay create(boolean json, boolean quiet, PrintStream out) {
        if (json) {
            return new Json(out);
        }
        if (quiet || System.console() == null) {
            return new Plain(out);
        }
        return new Bar(out);
    }

    int framesDone() {
        return framesPerChunk.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void stage(String s) {
        stage = s;
        changed(true);
    }

    @Override
    public void planned(PlanResult p) {
        plan = p;
        renderStartNanos = System.nanoTime();
        line(String.format(Locale.ROOT, "planned %d frames (%dx%d @ %d fps, %s) in %d chunks%s", p.totalFrames(),
                p.width(), p.height(), p.fps(), p.format(), p.chunkCount(), p.hasAudio() ? ", with audio" : ""));
        if (p.warnings() != null) {
            p.warnings().forEach(w -> line("warning: " + w));
        }
    }

    @Override
    public void frame(int chunk, int globalFrame) {
        framesPerChunk.merge(chunk, 1, Integer::sum);
        changed(false);
    }

    @Override
    public void chunkDone(int chunk, ChunkTimings t) {
        chunksDone.incrementAndGet();
        changed(true);
    }

    @Override
    public void chunkRetry(int chunk, int attempt, String code, String message) {
        framesPerChunk.put(chunk, 0);
        line("chunk " + chunk + " failed (" + code + "), retrying: " + message);
    }

    double fps() {
        double secs = (System.nanoTime() - renderStartNanos) / 1e9;
        return secs <= 0 ? 0 : framesDone() / secs;
    }

    String eta() {
        double fps = fps();
        if (plan == null || fps <= 0) {
            return "--:--";
        }
        long s = Math.round((plan.totalFrames() - framesDone()) / fps);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    abstract void changed(boolean important);

    void line(String s) {
        out.println(s);
    }

    void interrupted() {
        line("interrupting: stopping workers and removing temporary output...");
    }

    void finish() {
    }

    void summary(LocalRenderSummary s) {
        out.println(String.format(Locale.ROOT,
                "done: %s%n  size %s, %d frames, %.2f s at %d fps, %dx%d %s%n"
                        + "  time: total %.1f s = plan %.1f s + render %.1f s (capture %.1f s, encode %.1f s across %d workers) + assemble %.2f s%n"
                        + "  effective %.1f frames/s, capture mode %s",
                s.output(), RenderCommand.human(s.sizeBytes()), s.plan().totalFrames(),
                s.plan().totalFrames() / (double) s.plan().fps(), s.plan().fps(), s.plan().width(), s.plan().height(),
                s.plan().format(), s.totalMillis() / 1000.0, s.planMillis() / 1000.0, s.renderMillis() / 1000.0,
                s.captureMillis() / 1000.0, s.encodeMillis() / 1000.0, s.workers(), s.assembleMillis() / 1000.0,
                s.effectiveFps(), s.captureMode()));
    }

    /** Live bar redrawn in place, at most 5 times a second. */
    static final class Bar extends ProgressDisplay {
        private long lastDraw;

        Bar(PrintStream out) {
            super(out);
        }

        @Override
        synchronized void changed(boolean important) {
            long now = System.nanoTime();
            if (!important && now - lastDraw < 200_000_000L) {
                return;
            }
            lastDraw = now;
            if (plan == null) {
                out.print("\r\033[K" + stage + "...");
            } else {
                int total = plan.totalFrames();
                int done = Math.min(total, framesDone());
                int width = 30;
                int filled = total == 0 ? 0 : done * width / total;
                out.print(String.format(Locale.ROOT, "\r\033[K[%s%s] %3d%%  frames %d/%d  chunks %d/%d  %.1f fps  ETA %s",
                        "#".repeat(filled), ".".repeat(width - filled), total == 0 ? 0 : done * 100 / total, done, total,
                        chunksDone.get(), plan.chunkCount(), fps(), eta()));
            }
            out.flush();
        }

        @Override
        synchronized void line(String s) {
            out.print("\r\033[K");
            out.println(s);
        }

        @Override
        synchronized void finish() {
            out.print("\r\033[K");
            out.flush();
        }
    }

    /** One line per 10 % (non-TTY, --quiet). */
    static final class Plain extends ProgressDisplay {
        private int lastDecile = -1;
        private String lastStage = "";

        Plain(PrintStream out) {
            super(out);
        }

        @Override
        synchronized void changed(boolean important) {
            if (plan == null) {
                if (!stage.equals(lastStage)) {
                    lastStage = stage;
                    out.println("plan: " + stage);
                }
                return;
            }
            int total = plan.totalFrames();
            int done = Math.min(total, framesDone());
            int decile = total == 0 ? 10 : done * 10 / total;
            if (decile == 10 && chunksDone.get() < plan.chunkCount()) {
                decile = 9; // the 100 % line waits for the last chunk's encode, so it says every chunk is done
            }
            if (decile > lastDecile) {
                lastDecile = decile;
                out.println(String.format(Locale.ROOT, "progress %d%%: frames %d/%d, chunks %d/%d, %.1f fps, ETA %s",
                        decile * 10, done, total, chunksDone.get(), plan.chunkCount(), fps(), eta()));
            }
        }
    }

    /** JSON lines. */
    static final class Json extends ProgressDisplay {
        private int lastPercent = -1;

        Json(PrintStream out) {
            super(out);
        }

        @Override
        synchronized void changed(boolean important) {
            if (plan == null) {
                out.println("{\"event\":\"stage\",\"stage\":\"" + stage + "\"}");
                return;
            }
            int total = plan.totalFrames();
            int done = Math.min(total, framesDone());
            int percent = total == 0 ? 100 : done * 100 / total;
            if (percent > lastPercent || important) {
                lastPercent = percent;
                out.println(String.format(Locale.ROOT,
                        "{\"event\":\"progress\",\"framesDone\":%d,\"totalFrames\":%d,\"chunksDone\":%d,\"chunkCount\":%d,\"fps\":%.2f}",
                        done, total, chunksDone.get(), plan.chunkCount(), fps()));
            }
        }

        @Override
        void line(String s) {
            out.println("{\"event\":\"message\",\"message\":\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        }

        @Override
        void summary(LocalRenderSummary s) {
            out.println(String.format(Locale.ROOT,
                    "{\"event\":\"done\",\"output\":\"%s\",\"sizeBytes\":%d,\"frames\":%d,\"fps\":%d,\"format\":\"%s\","
                            + "\"totalMillis\":%d,\"planMillis\":%d,\"renderMillis\":%d,\"captureMillis\":%d,"
                            + "\"encodeMillis\":%d,\"assembleMillis\":%d,\"workers\":%d,\"effectiveFps\":%.2f}",
                    s.output().replace("\"", "\\\""), s.sizeBytes(), s.plan().totalFrames(), s.plan().fps(),
                    s.plan().format(), s.totalMillis(), s.planMillis(), s.renderMillis(), s.captureMillis(),
                    s.encodeMillis(), s.assembleMillis(), s.workers(), s.effectiveFps()));
        }
    }
}
