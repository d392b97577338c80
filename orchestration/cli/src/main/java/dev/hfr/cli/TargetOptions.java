package dev.hfr.cli;

import dev.hfr.storage.Storage;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code hf progress} and {@code hf cancel} point at (a {@link RenderTarget}), and the Step Functions client
 * they open only when the target needs one; close it when done. With {@code --stack} the stack's bucket is the
 * root, and a render id is first looked up as an execution of the stack's state machines (what
 * {@code hf cloud render} names its executions).
 */
final class TargetOptions implements AutoCloseable {
    @Parameters(index = "0", paramLabel = "TARGET",
            description = "Execution ARN, render prefix (s3://bucket/renders/ID or a folder), or render id.")
    String target;
    @Option(names = "--root", description = "Bucket root holding renders/index, for a render id (default: the stack's bucket, else s3://$HFR_RENDER_BUCKET).")
    String root;
    @Option(names = "--prefix", description = "The render's PlanOutputS3Prefix (instead of looking TARGET up).")
    String prefix;
    @Option(names = "--stack", paramLabel = "NAME", description = "The CloudFormation stack the render ran on (its bucket and state machines).")
    String stack;

    private SfnClient sfn;
    private StackInfo stackInfo;

    SfnClient sfn() {
        if (sfn == null) {
            sfn = SfnClient.create();
        }
        return sfn;
    }

    StackInfo stackInfo() {
        if (stackInfo == null && stack != null) {
            try (CloudFormationClient cfn = CloudFormationClient.create()) {
                stackInfo = StackInfo.describe(cfn, stack);
            }
        }
        return stackInfo;
    }

    RenderTarget resolve(Storage storage) {
        String r = root;
        StackInfo s = stackInfo();
        if (s != null) {
            if (r == null) {
                r = "s3://" + s.bucket();
            }
            if (prefix == null && !RenderTarget.isExecutionArn(target) && !target.contains("/")) {
                for (String arn : executionArns(s, target)) {
                    try {
                        sfn().describeExecution(b -> b.executionArn(arn));
                        return RenderTarget.resolve(arn, null, r, storage, this::sfn);
                    } catch (ExecutionDoesNotExistException e) {
                        // not this state machine's: try the next, then the SQS index
                    }
                }
            }
        }
        return RenderTarget.resolve(target, prefix, r, storage, this::sfn);
    }

    /** {@code arn:...:execution:MACHINE:ID} for each of the stack's state machines. */
    static List<String> executionArns(StackInfo s, String id) {
        List<String> out = new ArrayList<>();
        for (String key : List.of(StackInfo.LAMBDA_STATE_MACHINE, StackInfo.WORKER_STATE_MACHINE)) {
            s.output(key).ifPresent(sm -> out.add(sm.replace(":stateMachine:", ":execution:") + ":" + id));
        }
        return out;
    }

    @Override
    public void close() {
        if (sfn != null) {
            sfn.close();
            sfn = null;
        }
    }
}
