package dev.hfr.cli;

import dev.hfr.engine.progress.ProgressStore;
import dev.hfr.model.ProgressDocument;
import dev.hfr.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.util.concurrent.Callable;

/**
 * {@code hf cancel TARGET}: cancels a render in any mode. The cancel is recorded in the render's progress document,
 * where it is ordered against the assemble's start: if it wins, running chunks stop within a second, no further
 * step runs and no output is published; if the assemble started first, the cancel is refused (exit 1). For a
 * Step Functions render the execution is then stopped too.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a render (any mode): by Step Functions execution ARN, render prefix, or SQS render id.")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    TargetOptions targetOptions = new TargetOptions();

    @Override
    public Integer call() {
        Storage storage = Cli.storage();
        try {
            RenderTarget t = targetOptions.resolve(storage);
            if (t.prefix() == null) {
                System.err.println("hf cancel: " + targetOptions.target + " has no render record yet (its request may still be queued);"
                        + " nothing to cancel");
                return 1;
            }
            String by = "hf cancel (" + Cli.userName() + ")";
            ProgressDocument after = new ProgressStore(storage).requestCancel(t.prefix(), t.renderId(), by);
            if (after.status() != ProgressDocument.Status.CANCELLED) {
                System.err.println("hf cancel: too late: " + t.label() + " is " + after.status()
                        + (after.status() == ProgressDocument.Status.SUCCEEDED ? " (output " + after.outputUri() + ")"
                        : after.status() == ProgressDocument.Status.ASSEMBLING ? "; its output is being published" : ""));
                return 1;
            }
            if (t.executionArn() != null) {
                ExecutionStatus s = targetOptions.sfn().describeExecution(b -> b.executionArn(t.executionArn())).status();
                if (s == ExecutionStatus.RUNNING) {
                    targetOptions.sfn().stopExecution(b -> b.executionArn(t.executionArn()).error("CANCELLED").cause(by));
                }
            }
            System.out.println(t.label() + ": CANCELLED; no output will be published");
            return 0;
        } finally {
            targetOptions.close();
        }
    }
}
