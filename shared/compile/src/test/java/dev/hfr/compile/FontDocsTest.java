package dev.hfr.compile;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hfr.compile.internal.FontAliases;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/fonts.md lists exactly the mapping the compiler applies. */
@Tag("integration")
class FontDocsTest {
    @Test
    void theTableInDocsFontsMdIsTheMappingInFontAliases() throws Exception {
        String doc = Files.readString(TestAssetCache.repoRoot().resolve("docs/fonts.md"));
        Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\| `@fontsource/([a-z0-9-]+)` \\| ([^|]+) \\|$").matcher(doc);
        Map<String, String> documented = new TreeMap<>();
        while (row.find()) {
            documented.put(row.group(1).trim().toLowerCase(java.util.Locale.ROOT), row.group(2));
            if (!row.group(3).trim().equals("—")) {
                for (String alias : row.group(3).split(",")) {
                    documented.put(alias.trim(), row.group(2));
                }
            }
        }
        assertEquals(new TreeMap<>(FontAliases.table()), documented);
    }
}
