package dev.hfr.sfn;

import dev.hfr.engine.Engine;
import dev.hfr.local.testing.RealRenderFixture;
import dev.hfr.storage.testing.LocalStack;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.nio.file.Path;

/**
 * What the Step Functions real-render tests share (as {@link RealRenderFixture} serves the SQS ones): LocalStack
 * and its Step Functions client, a bucket of their own with examples/hello uploaded as {@code projects/hello.tar.gz},
 * and a real Engine whose storage may touch only that bucket.
 *
 * @param project the uploaded project's s3:// URI
 * @param engine  the production engine over the bucket, its work root under the test's temp folder
 */
record SfnRealRenderFixture(LocalStack ls, SfnClient sfn, String bucket, String project, Engine engine) {
    /** LocalStack (started when it does not answer, {@link LocalStack#require()}), a new bucket {@code bucketName}, the upload. */
    static SfnRealRenderFixture start(String bucketName, Path tmp) throws Exception {
        LocalStack ls = LocalStack.require();
        String bucket = ls.createBucket(bucketName);
        String project = RealRenderFixture.uploadProject(ls, bucket, "projects/hello.tar.gz");
        return new SfnRealRenderFixture(ls, ls.sfn(), bucket, project, RealRenderFixture.engine(ls, bucket, tmp.resolve("work")));
    }
}
