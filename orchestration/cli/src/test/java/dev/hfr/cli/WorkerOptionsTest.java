package dev.hfr.cli;

import org.junit.jupiter.api.Test;

import static dev.hfr.cli.CliTest.hf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hf worker refuses an incomplete set of ARNs/URLs before it builds an engine or polls anything. */
class WorkerOptionsTest {
    @Test
    void nothingToRunNamesWhatToGive() {
        CliTest.Result r = hf("worker");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("INVALID_CONFIG") && r.err().contains("--request-queue")
                && r.err().contains("--*-activity"), r.err());
    }

    @Test
    void oneActivityWithoutTheOtherTwoIsRefused() {
        CliTest.Result r = hf("worker", "--plan-activity", "arn:aws:states:us-east-1:123456789012:activity:hfr-plan");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--render-chunk-activity") && r.err().contains("--assemble-activity")
                && r.err().contains("all three"), r.err());
    }

    @Test
    void zeroThreadsIsRefused() {
        CliTest.Result r = hf("worker", "--chunk-queue", "https://sqs.us-east-1.amazonaws.com/123456789012/hfr-chunks",
                "--threads", "0");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--threads must be at least 1, got 0"), r.err());
    }
}
