package dev.hfr.model;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepTest {
    @Test
    void everySpellingTheWireAndTheCliUseNamesItsStep() {
        for (String s : new String[] {"plan", "Plan"}) {
            assertEquals(Optional.of(Step.PLAN), Step.find(s), s);
        }
        for (String s : new String[] {"renderChunk", "render-chunk", "RenderChunk"}) {
            assertEquals(Optional.of(Step.RENDER_CHUNK), Step.find(s), s);
        }
        for (String s : new String[] {"assemble", "Assemble"}) {
            assertEquals(Optional.of(Step.ASSEMBLE), Step.find(s), s);
        }
        assertEquals(Optional.empty(), Step.find("RENDER_CHUNK"));
        assertEquals(Optional.empty(), Step.find(null));
    }

    @Test
    void wireNamesAreHyperFramesActions() {
        assertEquals("plan", Step.PLAN.wireName());
        assertEquals("renderChunk", Step.RENDER_CHUNK.wireName());
        assertEquals("assemble", Step.ASSEMBLE.wireName());
        assertEquals("render-chunk", Step.RENDER_CHUNK.cliName());
    }

    @Test
    void anUnknownNameIsAnInvalidEventNamingTheFieldAndTheChoices() {
        RenderException e = assertThrows(RenderException.class, () -> Step.parse("paint", "Action"));
        assertEquals(ErrorCode.INVALID_EVENT, e.code());
        assertTrue(e.getMessage().contains("Action \"paint\""), e.getMessage());
        assertTrue(e.getMessage().contains("plan, renderChunk or assemble"), e.getMessage());
    }
}
