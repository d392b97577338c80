package dev.hfr.cli;

import picocli.CommandLine.Option;

/** The stack a cloud render starts on and how it starts ({@code hf cloud render}, {@code hf cloud render-batch}). */
final class StackOptions {
    @Option(names = "--stack", required = true, paramLabel = "NAME", description = "CloudFormation stack deployed from template.yaml.")
    String stack;
    @Option(names = "--mode", paramLabel = "stepfunctions|sqs", description = "How renders start: stepfunctions or sqs (default: Step Functions when the stack has a state machine).")
    String mode;

    /** The stack's outputs (CloudFormation DescribeStacks). */
    StackInfo describe() {
        return CloudCommand.describe(stack);
    }

    /** {@code --mode}, else the stack's own default. */
    StackInfo.Mode mode(StackInfo s) {
        return mode != null ? StackInfo.Mode.parse(mode) : s.defaultMode();
    }
}
