package dev.hfr.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void treeKeepsKeyOrderAndTypes() {
        Object v = Json.tree("{\"b\":[1,2.5,true,null],\"a\":\"x\",\"n\":{\"z\":1,\"y\":2}}");
        Map<?, ?> m = assertInstanceOf(Map.class, v);
        assertEquals(List.of("b", "a", "n"), List.copyOf(m.keySet()));
        List<?> b = assertInstanceOf(List.class, m.get("b"));
        assertEquals(1, ((Number) b.get(0)).intValue());
        assertEquals(2.5, ((Number) b.get(1)).doubleValue());
        assertEquals(Boolean.TRUE, b.get(2));
        assertEquals(List.of("z", "y"), List.copyOf(((Map<?, ?>) m.get("n")).keySet()));
        assertThrows(IllegalArgumentException.class, () -> Json.tree("{\"a\":"));
        assertThrows(IllegalArgumentException.class, () -> Json.tree("{'a':1}"));
    }

    @Test
    void scriptSafeOutputCannotCloseTheScriptElement() {
        String out = Json.writeForScript(Map.of("s", "</script><b>&\u2028"));
        assertEquals("{\"s\":\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\"}", out);
        assertEquals("</script><b>&\u2028", ((Map<?, ?>) Json.tree(out)).get("s"));
    }

    @Test
    void aStringWrittenForAScriptReadsBackAsItselfAndCannotCloseTheElement() {
        // the compile's labels and scopes take the mapper-free path: every character must survive a JSON read
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            if (!Character.isSurrogate(c)) {
                all.append(c);
            }
        }
        all.append("\uD83D\uDE00 'quote' \"dq\" back\\slash </script>");
        for (String s : List.of("", "plain", "scenes/intro.html", all.toString())) {
            String out = Json.writeForScript(s);
            assertEquals(s, Json.tree(out), "round trip of a string of " + s.length() + " chars");
            assertFalse(out.contains("<") || out.contains(">") || out.contains("&") || out.contains("\u2028")
                    || out.contains("\u2029"), out.length() > 80 ? out.substring(0, 80) : out);
        }
        assertEquals("{}", Json.writeForScript(Map.of()));
        assertEquals(Map.of(), Json.tree(Json.writeForScript(new java.util.LinkedHashMap<>())));
    }

    @Test
    void readNamesWhatAndTheCodeOnBadInput() {
        RenderException e = assertThrows(RenderException.class,
                () -> Json.read("[1]", ChunkSlice.class, ErrorCode.INVALID_EVENT, "the chunk in x.json"));
        assertEquals(ErrorCode.INVALID_EVENT, e.code());
        assertTrue(e.getMessage().contains("the chunk in x.json") && e.getMessage().contains("ChunkSlice"), e.getMessage());
        RenderException empty = assertThrows(RenderException.class,
                () -> Json.read("null", ChunkSlice.class, ErrorCode.INVALID_EVENT, "y"));
        assertTrue(empty.getMessage().contains("y is empty"), empty.getMessage());
    }
}
