package dev.hfr.cli;

import dev.hfr.model.ConfigViolation;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.InvalidConfigException;
import dev.hfr.model.OutputFormat;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderCost;
import dev.hfr.model.RenderException;
import dev.hfr.model.Webhook;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code hf cloud render-batch renders.jsonl --stack NAME --max-concurrent N}: one render per line, at most N at
 * once. Every line is checked before anything is uploaded (a bad line is INVALID_CONFIG naming its line number);
 * then one line per render as it ends, and a table. Exit 0 when every render succeeded, else 3.
 */
@Command(name = "render-batch", mixinStandardHelpOptions = true,
        description = {"Render every line of a JSON-lines file on the stack, at most --max-concurrent at once.",
                "A line: {\"project\": DIR|.tar.gz, \"output\": FILE, \"variables\": {...}, \"format\", \"fps\", \"quality\", "
                        + "\"config\": {the workflow input's Config}, \"webhookUrl\", \"webhookData\": {...}}; "
                        + "project and output are relative to the file's folder; without output the video stays in the bucket."})
final class CloudBatchCommand implements java.util.concurrent.Callable<Integer> {
    static final Set<String> KEYS = Set.of("project", "output", "variables", "format", "fps", "quality", "config",
            "webhookUrl", "webhookData");

    @Parameters(index = "0", paramLabel = "RENDERS.jsonl", description = "One JSON object a line.")
    Path file;
    @Mixin
    StackOptions stackOptions = new StackOptions();
    @Option(names = "--max-concurrent", defaultValue = "4", description = "Renders in flight at once (default: ${DEFAULT-VALUE}).")
    int maxConcurrent;
    @Option(names = "--webhook-secret", description = "The secret of every line's webhookUrl (default: $HFR_WEBHOOK_SECRET).")
    String webhookSecret;
    @Option(names = "--interval", defaultValue = "2s", description = "How often to read each render's progress (default: ${DEFAULT-VALUE}).")
    String interval;

    /** One line of the file, checked. */
    record Entry(int line, Path project, @Nullable Path output, RenderConfig config, OutputFormat format, @Nullable Webhook webhook) {
    }

    /** How one render ended. */
    record Result(Entry entry, String renderId, String status, int frames, long millis, double costUsd, String detail) {
        boolean ok() {
            return status.equals(ProgressDocument.Status.SUCCEEDED.name());
        }
    }

    /**
     * Parses every line (blank lines are skipped); every problem of every line is reported at once, each
     * violation's field starting with {@code line N}. Relative paths are taken from {@code base}.
     */
    static List<Entry> parse(List<String> lines, Path base, @Nullable String webhookSecret) {
        List<ConfigViolation> bad = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Map<Path, Integer> outputs = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String text = lines.get(i).strip();
            if (text.isEmpty()) {
                continue;
            }
            String at = "line " + n;
            Map<String, Object> obj;
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = ObjectMapper.getDefault().readValue(text, Map.class);
                obj = m;
            } catch (IOException | RuntimeException e) {
                bad.add(new ConfigViolation(at, abbreviate(text), "one JSON object, e.g. {\"project\": \"examples/hello\"}"));
                continue;
            }
            if (obj == null) {
                bad.add(new ConfigViolation(at, abbreviate(text), "one JSON object"));
                continue;
            }
            int before = bad.size();
            for (String k : obj.keySet()) {
                if (!KEYS.contains(k)) {
                    bad.add(new ConfigViolation(at + " " + k, "an unknown key", "one of " + String.join(", ", KEYS.stream().sorted().toList())));
                }
            }
            Object project = obj.get("project");
            if (!(project instanceof String p) || p.isBlank()) {
                bad.add(new ConfigViolation(at + " project", String.valueOf(project), "the project directory or .tar.gz (a string)"));
                continue;
            }
            Path projectPath = base.resolve(p).normalize();
            if (!Files.exists(projectPath)) {
                bad.add(new ConfigViolation(at + " project", p, "an existing directory or .tar.gz (" + projectPath + " does not exist)"));
            }
            Path output = null;
            if (obj.get("output") != null) {
                if (!(obj.get("output") instanceof String o) || o.isBlank()) {
                    bad.add(new ConfigViolation(at + " output", String.valueOf(obj.get("output")), "a file name (a string)"));
                } else {
                    output = base.resolve(o).normalize();
                    Integer other = outputs.putIfAbsent(output, n);
                    if (other != null) {
                        bad.add(new ConfigViolation(at + " output", o, "a file no other line writes (line " + other + " does)"));
                    }
                }
            }
            RenderConfig base0 = RenderConfig.empty();
            if (obj.get("config") != null) {
                try {
                    base0 = ObjectMapper.getDefault().readValue(ObjectMapper.getDefault().writeValueAsString(obj.get("config")),
                            RenderConfig.class);
                } catch (IOException | RuntimeException e) {
                    bad.add(new ConfigViolation(at + " config", abbreviate(String.valueOf(obj.get("config"))),
                            "the workflow input's Config object"));
                }
            }
            String formatName = obj.get("format") instanceof String f ? f : base0.format();
            OutputFormat format = null;
            try {
                format = CloudCommand.format(formatName, output == null ? null : output.toString());
            } catch (RenderException e) {
                bad.add(new ConfigViolation(at + " format", String.valueOf(formatName), "mp4, webm or mov"));
            }
            Integer fps = null;
            if (obj.get("fps") != null) {
                if (obj.get("fps") instanceof Number num && num.doubleValue() == num.intValue()) {
                    fps = num.intValue();
                } else {
                    bad.add(new ConfigViolation(at + " fps", String.valueOf(obj.get("fps")), "an integer"));
                }
            }
            Map<String, Object> variables = null;
            if (obj.get("variables") != null) {
                if (obj.get("variables") instanceof Map<?, ?> vars) {
                    variables = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : vars.entrySet()) {
                        variables.put(String.valueOf(e.getKey()), e.getValue());
                    }
                } else {
                    bad.add(new ConfigViolation(at + " variables", String.valueOf(obj.get("variables")), "a JSON object"));
                }
            }
            String quality = obj.get("quality") instanceof String q ? q : null;
            if (obj.get("quality") != null && quality == null) {
                bad.add(new ConfigViolation(at + " quality", String.valueOf(obj.get("quality")), "draft, standard or high"));
            }
            Webhook webhook = null;
            if (obj.get("webhookUrl") != null || obj.get("webhookData") != null) {
                try {
                    String data = obj.get("webhookData") == null ? null : ObjectMapper.getDefault().writeValueAsString(obj.get("webhookData"));
                    webhook = CloudCommand.webhook(obj.get("webhookUrl") instanceof String u ? u : null, webhookSecret, data, "webhook");
                } catch (InvalidConfigException e) {
                    e.violations().forEach(v -> bad.add(new ConfigViolation(at + " " + v.field(), v.value(), v.expected())));
                } catch (RenderException | IOException e) {
                    bad.add(new ConfigViolation(at + " webhookUrl", String.valueOf(obj.get("webhookUrl")), e.getMessage()));
                }
            }
            if (format == null) {
                continue;
            }
            RenderConfig config = base0.merge(RenderConfig.builder().fps(fps).format(format.wireName()).quality(quality)
                    .variables(variables).build());
            for (ConfigViolation v : config.validate()) {
                bad.add(new ConfigViolation(at + " " + v.field(), v.value(), v.expected()));
            }
            if (output != null) {
                String mismatch = RenderCommand.extensionMismatch(output.toString(), format);
                if (mismatch != null) {
                    bad.add(new ConfigViolation(at + " output", output.toString(), mismatch));
                } else {
                    try {
                        CloudRun.checkOutput(output, format, projectPath);
                    } catch (RenderException e) {
                        bad.add(new ConfigViolation(at + " output", output.toString(), "a safe output path: " + e.getMessage()));
                    }
                }
            }
            if (bad.size() == before) {
                entries.add(new Entry(n, projectPath, output, config, format, webhook));
            }
        }
        if (!bad.isEmpty()) {
            throw new InvalidConfigException(bad);
        }
        if (entries.isEmpty()) {
            throw new InvalidConfigException(List.of(new ConfigViolation("renders file", "no render", "one JSON object a line")));
        }
        return entries;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    @Override
    public Integer call() throws Exception {
        if (maxConcurrent < 1 || maxConcurrent > 256) {
            throw new InvalidConfigException(List.of(new ConfigViolation("--max-concurrent", Integer.toString(maxConcurrent), "1..256")));
        }
        if (!Files.isRegularFile(file)) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "renders file " + file + " does not exist");
        }
        Duration every = Durations.parse("--interval", interval);
        Path base = file.toAbsolutePath().getParent();
        List<Entry> entries = parse(Files.readAllLines(file), base, webhookSecret);
        StackInfo s = stackOptions.describe();
        StackInfo.Mode m = stackOptions.mode(s);
        String stack = stackOptions.stack;
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%d renders on stack %s (%s), at most %d at once%n", entries.size(), stack,
                m.name().toLowerCase(Locale.ROOT), maxConcurrent);
        List<Result> results = new ArrayList<>();
        AtomicInteger finished = new AtomicInteger();
        try (CloudRun run = new CloudRun(s, m); ExecutorService pool = Executors.newFixedThreadPool(maxConcurrent)) {
            List<Future<Result>> futures = new ArrayList<>();
            for (Entry e : entries) {
                futures.add(pool.submit(() -> {
                    Result r = renderOne(run, e, every);
                    synchronized (out) {
                        out.printf(Locale.ROOT, "[%d/%d] line %d %s: %s%n", finished.incrementAndGet(), entries.size(), e.line(),
                                r.renderId(), r.status() + (r.ok() ? String.format(Locale.ROOT, ", %d frames in %.1f s, $%.4f",
                                        r.frames(), r.millis() / 1000.0, r.costUsd()) : "") + " " + r.detail());
                    }
                    return r;
                }));
            }
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
        }
        out.println(table(results));
        long failed = results.stream().filter(r -> !r.ok()).count();
        out.printf(Locale.ROOT, "%d succeeded, %d failed; cost $%.4f%n", results.size() - failed, failed,
                results.stream().mapToDouble(Result::costUsd).sum());
        return failed == 0 ? 0 : 3;
    }

    private static Result renderOne(CloudRun run, Entry e, Duration every) {
        long t0 = System.nanoTime();
        String id = "-";
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("hf-batch-");
            CloudRun.Upload up = run.upload(CloudRun.pack(e.project(), tmp));
            CloudRun.Started started = run.start(up.uri(), e.config(), e.webhook());
            id = started.renderId();
            RenderTarget t = started.target();
            ProgressDocument d;
            while (true) {
                d = t.read(run.storage, run::sfn);
                if (d.status().terminal()) {
                    break;
                }
                Thread.sleep(every.toMillis());
            }
            RenderCost cost = ProgressCommand.cost(t, d, run::sfn);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (d.status() != ProgressDocument.Status.SUCCEEDED) {
                String why = d.failure() == null ? "" : d.failure().code() + ": " + d.failure().message();
                return new Result(e, id, d.status().name(), d.framesDone(), millis, cost.totalUsd(), why);
            }
            String where = started.outputUri();
            if (e.output() != null) {
                run.download(started.outputUri(), e.output());
                where = e.output().toString();
            }
            return new Result(e, id, d.status().name(), d.framesDone(), millis, cost.totalUsd(), where);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return new Result(e, id, "INTERRUPTED", 0, (System.nanoTime() - t0) / 1_000_000, 0, "");
        } catch (IOException | RuntimeException ex) {
            RenderException re = RenderException.wrap(ex);
            return new Result(e, id, "FAILED", 0, (System.nanoTime() - t0) / 1_000_000, 0, re.code() + ": " + re.getMessage());
        } finally {
            if (tmp != null) {
                CloudRun.deleteTree(tmp);
            }
        }
    }

    static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-5s %-34s %-10s %7s %8s %9s  %s%n", "line", "render", "status", "frames",
                "seconds", "cost", "output / error"));
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-5d %-34s %-10s %7d %8.1f %9s  %s%n", r.entry().line(), r.renderId(),
                    r.status(), r.frames(), r.millis() / 1000.0, String.format(Locale.ROOT, "$%.4f", r.costUsd()), r.detail()));
        }
        return sb.toString().stripTrailing();
    }
}
