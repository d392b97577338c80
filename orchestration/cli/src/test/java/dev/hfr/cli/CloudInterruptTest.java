package dev.hfr.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-C during hf cloud render without a terminal: it detaches, and says how to follow and cancel the render. */
class CloudInterruptTest {
    @Test
    void withoutATerminalCtrlCDetachesAndNamesTheCommandsToFollowAndCancel() {
        StackInfo s = new StackInfo("hfr", Map.of("RenderBucketName", "b", "RenderRequestQueueUrl", "http://q/requests"), Map.of());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (CloudRun run = new CloudRun(s, StackInfo.Mode.SQS)) {
            CloudRun.Started started = new CloudRun.Started("r1", "s3://b/renders/r1/", "s3://b/outputs/r1.mp4", null);
            CloudCommand.Interrupt interrupt = new CloudCommand.Interrupt(run, started, "hfr", out);
            interrupt.onInterrupt();
            assertTrue(interrupt.detached.get(), "no terminal to ask: detach");
            interrupt.display.print("bar");
            interrupt.display.flush();
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("detached: r1 goes on rendering on stack hfr"), text);
        assertTrue(text.contains("follow: hf cloud progress r1 --stack hfr"), text);
        assertTrue(text.contains("cancel: hf cloud cancel r1 --stack hfr"), text);
        assertTrue(text.contains("output: s3://b/outputs/r1.mp4"), text);
        assertTrue(text.endsWith("bar"), "the display is live again after the question: " + text);
    }
}
