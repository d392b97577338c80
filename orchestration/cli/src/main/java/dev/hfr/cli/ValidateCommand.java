package dev.hfr.cli;

import dev.hfr.compile.ProjectValidator;
import dev.hfr.engine.preview.PreviewService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code hf validate PROJECT}: checks the composition contract without rendering and lists every problem. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a project against the composition contract without rendering; lists every problem.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PROJECT", description = "Project directory, .tar.gz, or s3:// URI.")
    String project;
    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() {
        List<ProjectValidator.Problem> problems = new PreviewService(Cli.engineOptions()).validate(project, config.toConfig("mp4"));
        if (problems.isEmpty()) {
            System.out.println("ok: " + project + " follows the composition contract");
            return 0;
        }
        System.out.println(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in " + project + ":");
        for (ProjectValidator.Problem p : problems) {
            System.out.println("  " + p.where() + ": " + p.code() + ": " + p.message());
        }
        return 2;
    }
}
