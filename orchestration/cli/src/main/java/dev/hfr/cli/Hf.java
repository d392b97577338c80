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

/**
 * {@code hf}: render HyperFrames compositions to video on this machine, or run one cloud step locally.
 * Exit codes: 0 success, 2 bad input, 3 render failure, 130 interrupted.
 */
@Command(name = "hf", mixinStandardHelpOptions = true, version = "hf 0.1.0",
        description = "Render HyperFrames compositions (HTML + timelines) to MP4/WebM/MOV/PNG, in parallel chunks.",
        subcommands = {RenderCommand.class, ValidateCommand.class, PreviewCommand.class, StepCommands.Plan.class,
                StepCommands.RenderChunk.class, StepCommands.Assemble.class, CloudCommands.Worker.class,
                CloudCommands.Submit.class, CloudCommands.Progress.class, CommandLine.HelpCommand.class})
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
            cmd.setParameterExceptionHandler((ex, a) -> {
                ex.getCommandLine().getErr().println("hf: " + ex.getMessage());
                ex.getCommandLine().getErr().println("     see: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
                return 2;
            });
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
        err.println("hf: " + re.code() + ": " + re.getMessage());
        if (re instanceof InvalidConfigException ice) {
            ice.violations().forEach(v -> err.println("  - " + v));
        }
        if (re.code() == ErrorCode.INTERNAL_ERROR && System.getenv("HFR_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        return re.code().cliExitCode();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
