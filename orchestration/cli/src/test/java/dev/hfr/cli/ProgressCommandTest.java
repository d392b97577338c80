package dev.hfr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.engine.progress.ProgressStore;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.ProgressDocument;
import dev.hfr.model.RenderCost;
import dev.hfr.storage.LocalStorage;
import io.micronaut.serde.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hf progress and hf cancel on a render's progress document (a local prefix: the same code reads S3). */
class ProgressCommandTest {
    @TempDir
    Path tmp;

    private String prefix() {
        return tmp.resolve("renders/r1").toString();
    }

    @Test
    void onceShowsTheBarAndJsonCarriesTheDocumentAndTheCost() throws Exception {
        ProgressStore store = new ProgressStore(new LocalStorage());
        store.planning(prefix(), "r1", null, "/out/v.mp4");
        store.planned(prefix(), "r1", List.of(30, 30), null, 100);
        store.chunkDone(prefix(), "r1", 0, 100);
        store.billed(prefix(), "r1", new RenderCost.Invocation("renderChunk", 10_000, 10240, 512, false));

        CliTest.Result once = CliTest.hf("progress", "--once", prefix());
        assertEquals(0, once.exit(), once.err());
        assertTrue(once.out().contains("RENDERING") && once.out().contains("frames 30/60") && once.out().contains("chunks 1/2"),
                once.out());

        CliTest.Result json = CliTest.hf("progress", "--json", prefix());
        assertEquals(0, json.exit(), json.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> report = ObjectMapper.getDefault().readValue(json.out(), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> progress = (Map<String, Object>) report.get("progress");
        @SuppressWarnings("unchecked")
        Map<String, Object> cost = (Map<String, Object>) report.get("cost");
        assertEquals("RENDERING", progress.get("status"));
        assertEquals(30, ((Number) progress.get("framesDone")).intValue());
        assertEquals(10 * 10.0 * 0.0000166667 + 0.0000002, ((Number) cost.get("TotalUsd")).doubleValue(), 1e-9);
    }

    @Test
    void followingEndsWithTheRenderAndItsExitCodeSaysHowItEnded() {
        ProgressStore store = new ProgressStore(new LocalStorage());
        store.planning(prefix(), "r1", null, null);
        store.planned(prefix(), "r1", List.of(10), null, 1);
        store.failed(prefix(), "r1", "renderChunk", ErrorCode.PLAN_HASH_MISMATCH, "stale plan", 0);
        CliTest.Result failed = CliTest.hf("progress", "--interval", "100ms", prefix());
        assertEquals(3, failed.exit(), failed.out() + failed.err());
        assertTrue(failed.out().contains("failed in renderChunk (chunk 0): PLAN_HASH_MISMATCH: stale plan"), failed.out());
        assertTrue(failed.out().contains("docs/errors.md#plan-hash-mismatch"), failed.out());
    }

    @Test
    void followingARunningRenderStopsAtTheTimeoutWith124() {
        ProgressStore store = new ProgressStore(new LocalStorage());
        store.planning(prefix(), "r1", null, null);
        CliTest.Result r = CliTest.hf("progress", "--interval", "100ms", "--timeout", "300ms", prefix());
        assertEquals(124, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("has not ended after 300ms; still PLANNING"), r.err());
    }

    @Test
    void cancelWinsBeforeTheAssembleAndIsRefusedAfterIt() {
        ProgressStore store = new ProgressStore(new LocalStorage());
        store.planning(prefix(), "r1", null, null);
        store.planned(prefix(), "r1", List.of(10, 10), null, 1);
        CliTest.Result c = CliTest.hf("cancel", prefix());
        assertEquals(0, c.exit(), c.out() + c.err());
        assertTrue(c.out().contains("CANCELLED"), c.out());
        assertTrue(store.cancelRequested(prefix()));
        CliTest.Result p = CliTest.hf("progress", prefix());
        assertEquals(130, p.exit(), p.out());

        String other = tmp.resolve("renders/r2").toString();
        store.planning(other, "r2", null, null);
        store.planned(other, "r2", List.of(10), null, 1);
        store.chunkDone(other, "r2", 0, 1);
        store.beginAssemble(other, "r2");
        CliTest.Result late = CliTest.hf("cancel", other);
        assertEquals(1, late.exit(), late.out() + late.err());
        assertTrue(late.err().contains("too late") && late.err().contains("ASSEMBLING"), late.err());
    }

    @Test
    void anSqsRenderThatRanOutOfRetriesEndsFailedAlthoughNoStepWroteItInTheDocument() {
        ProgressStore store = new ProgressStore(new LocalStorage());
        store.planning(prefix(), "r1", null, null);
        store.planned(prefix(), "r1", List.of(10, 10), null, 1);
        store.failed(prefix(), "r1", "renderChunk", ErrorCode.BROWSER_CRASHED, "renderer died", 1);
        // what the SQS mode records when the last receive fails (or DlqConsumer when the message died)
        new dev.hfr.sqs.internal.StatusStore(new LocalStorage()).failed(prefix(), "r1", ErrorCode.BROWSER_CRASHED,
                "gave up after 3 attempts: renderer died", 1);
        CliTest.Result r = CliTest.hf("progress", "--interval", "100ms", "--timeout", "20s", prefix());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("FAILED") && r.out().contains("(chunk 1): BROWSER_CRASHED: gave up after 3 attempts"),
                r.out());
    }

    @Test
    void aBadIntervalIsAConfigErrorNamingTheOption() {
        CliTest.Result r = CliTest.hf("progress", "--interval", "soon", prefix());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--interval: got 'soon'"), r.err());
    }
}
