package dev.hfr.cli;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.InvalidConfigException;
import dev.hfr.model.RenderException;
import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code hf}: render HyperFrames compositions to video on this machine, or run one cloud step locally.
 * Exit codes: 0 success, 2 bad input (also an unknown command or option), 3 render failure, 130 interrupted.
 * An error message ends with the pointer to its entry in docs/errors.md.
 */
@Command(name = "hf", mixinStandardHelpOptions = true, version = "hf 0.1.0",
        description = "Render HyperFrames compositions (HTML + timelines) to MP4/WebM/MOV/PNG, in parallel chunks.",
        subcommands = {RenderCommand.class, ValidateCommand.class, PreviewCommand.class, StepCommands.Plan.class,
                StepCommands.RenderChunk.class, StepCommands.Assemble.class, CloudCommands.Worker.class,
                CloudCommands.Submit.class, CloudCommand.class, ProgressCommand.class, CancelCommand.class, CommandLine.HelpCommand.class})
public final class Hf implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        try (ApplicationContext ctx = ApplicationContext.builder(Hf.class, Environment.CLI).banner(false).start()) {
            CommandLine cmd = new CommandLine(Hf.class, new MicronautFactory(ctx));
            cmd.setExecutionExceptionHandler(Hf::handle);
            cmd.setParameterExceptionHandler(Hf::parameterError);
            cmd.setExecutionStrategy(Hf::executeUnlessUnmatched);
            return cmd.execute(args);
        }
    }

    static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        RenderException re = RenderException.wrap(ex);
        if (re.code() == ErrorCode.INTERRUPTED) {
            err.println("hf: interrupted; no output was written");
            return 130;
        }
        err.println("hf: " + re.code() + ": " + re.code().withDocsPointer(re.getMessage()));
        if (re instanceof InvalidConfigException ice) {
            ice.violations().forEach(v -> err.println("  - " + v));
        }
        if ((re.code() == ErrorCode.INTERNAL_ERROR || re.code() == ErrorCode.PROGRAMMING_ERROR)
                && Cli.debug()) {
            ex.printStackTrace(err);
        }
        return re.code().cliExitCode();
    }

    /**
     * Picocli lets a help flag win over an unknown word ({@code hf cloud --help} printed the top-level help and
     * exited 0), so the arguments it could not match are refused here before anything runs.
     */
    static int executeUnlessUnmatched(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                return unknown(p.commandSpec().commandLine(), p.unmatched().getFirst());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    static int parameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            return unknown(cmd, u.getUnmatched().getFirst());
        }
        cmd.getErr().println("hf: " + ex.getMessage());
        cmd.getErr().println("     see: " + cmd.getCommandSpec().qualifiedName() + " --help");
        return 2;
    }

    /** "Unknown command" / "Unknown option" (picocli's wording) with the nearest known name; exit code 2 (bad input). */
    static int unknown(CommandLine cmd, String arg) {
        PrintWriter err = cmd.getErr();
        String where = cmd.getCommandSpec().qualifiedName();
        String kind;
        List<String> known;
        String word = arg;
        if (arg.startsWith("-")) {
            kind = "Unknown option";
            int eq = arg.indexOf('=');
            word = eq > 0 ? arg.substring(0, eq) : arg;
            known = cmd.getCommandSpec().options().stream().flatMap(o -> Arrays.stream(o.names())).toList();
        } else if (!cmd.getSubcommands().isEmpty()) {
            kind = "Unknown command";
            known = List.copyOf(cmd.getSubcommands().keySet());
        } else {
            kind = "Unexpected argument";
            known = List.of();
        }
        String hint = nearest(word, known).map(n -> "; did you mean " + n + "?").orElse("");
        err.println(where + ": " + kind + ": '" + arg + "'" + hint);
        err.println("     see: " + where + " --help");
        return 2;
    }

    /**
     * The known name closest to {@code word} by edit distance, if it is close enough to be a typo (at most
     * 2 edits, or a third of the word), or the only name {@code word} is a prefix of.
     */
    static Optional<String> nearest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(word.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= Math.max(2, word.length() / 3)) {
            return Optional.of(best);
        }
        List<String> prefixed = known.stream().filter(k -> word.length() >= 2 && k.startsWith(word)).toList();
        return prefixed.size() == 1 ? Optional.of(prefixed.getFirst()) : Optional.empty();
    }

    /** Levenshtein distance, with a swap of two neighbours counted as one edit. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
