package dev.hfr.cli;

import dev.hfr.engine.preview.PreviewService;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderConfig;
import dev.hfr.model.RenderException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code hf preview PROJECT --frame N}: one PNG of one frame. */
@Command(name = "preview", mixinStandardHelpOptions = true, description = "Write one frame of a composition as a PNG.")
final class PreviewCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;
    @Option(names = "--frame", description = "Frame index (0-based).")
    Integer frame;
    @Option(names = "--time", description = "Time in seconds (rounded down to a frame).")
    Double time;
    @Option(names = {"-o", "--output"}, description = "PNG file to write (default preview-<frame>.png).")
    Path output;
    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() throws IOException {
        RenderConfig c = config.toConfig("png-sequence").withDefaults();
        if ((frame == null) == (time == null)) {
            throw new RenderException(ErrorCode.INVALID_CONFIG, "give exactly one of --frame N or --time SECONDS");
        }
        int f = frame != null ? frame : (int) Math.floor(time * c.fps() + 1e-9);
        byte[] png = new PreviewService(Cli.engineOptions()).previewFrame(project, c, f);
        Path out = output != null ? output : Path.of("preview-" + f + ".png");
        Path tmp = out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".partial");
        Files.write(tmp, png);
        Files.move(tmp, out.toAbsolutePath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("frame " + f + " -> " + out);
        return 0;
    }
}
