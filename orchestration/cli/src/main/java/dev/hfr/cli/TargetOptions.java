package dev.hfr.cli;

import dev.hfr.storage.Storage;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * What {@code hf progress} and {@code hf cancel} point at (a {@link RenderTarget}), and the Step Functions client
 * they open only when the target needs one; close it when done.
 */
final class TargetOptions implements AutoCloseable {
    @Parameters(index = "0", paramLabel = "TARGET",
            description = "Execution ARN, render prefix (s3://bucket/renders/ID or a folder), or render id (SQS mode).")
    String target;
    @Option(names = "--root", description = "Bucket root holding renders/index, for a render id (default: s3://$HFR_RENDER_BUCKET).")
    String root;
    @Option(names = "--prefix", description = "The render's PlanOutputS3Prefix (instead of looking TARGET up).")
    String prefix;

    private SfnClient sfn;

    SfnClient sfn() {
        if (sfn == null) {
            sfn = SfnClient.create();
        }
        return sfn;
    }

    RenderTarget resolve(Storage storage) {
        return RenderTarget.resolve(target, prefix, root, storage, this::sfn);
    }

    @Override
    public void close() {
        if (sfn != null) {
            sfn.close();
            sfn = null;
        }
    }
}
