package dev.hfr.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedFixturesTest {
    @Test
    void repoRootIsThisCheckout() {
        assertTrue(Files.isRegularFile(SharedFixtures.repoRoot().resolve("scripts/fetch-assets.sh")));
    }

    @Test
    void rootIsPresentExactlyWhenTheFolderExists() {
        boolean exists = Files.isDirectory(SharedFixtures.repoRoot().resolve("../shared/fixtures"));
        assertEquals(exists, SharedFixtures.root().isPresent());
        if (!exists) {
            IllegalStateException e = assertThrows(IllegalStateException.class, SharedFixtures::dir);
            assertTrue(e.getMessage().contains("@RequiresSharedFixtures"), e.getMessage());
        }
    }
}
