package dev.hfr.compile;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 5: a symlink that stays inside the project compiles to what it points at (a linked folder's
 * images are there, not an empty folder); one that leaves the project is refused, never copied.
 */
@Tag("integration")
class SymlinkCompileTest {
    private static final String GSAP = "https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.2/gsap.min.js";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};
    static AssetResolver resolver;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cache() throws Exception {
        resolver = AssetResolver.create(TestAssetCache.sharedCache(), false, NpmRegistry.fromEnvironment(System::getenv));
    }

    private static String page(String body) {
        return "<!doctype html><html><head><script src=\"" + GSAP + "\"></script></head><body>"
                + "<div id=\"root\" data-composition-id=\"main\" data-width=\"320\" data-height=\"180\" data-duration=\"1\">"
                + body + "</div><script>window.__timelines = {main: gsap.timeline({paused: true})};</script></body></html>";
    }

    private Path project(String body) throws IOException {
        Path dir = tmp.resolve("project");
        Files.createDirectories(dir.resolve("assets/icons"));
        Files.writeString(dir.resolve("index.html"), page(body));
        Files.write(dir.resolve("assets/icons/star.png"), PNG);
        return dir;
    }

    @Test
    void folderLinkInsideTheProjectCompilesToTheFolderItNames() throws IOException {
        Path dir = project("<img src=\"lib/icons/star.png\"><img src=\"star.png\">");
        Files.createSymbolicLink(dir.resolve("lib"), Path.of("assets"));
        Files.createSymbolicLink(dir.resolve("star.png"), Path.of("assets/icons/star.png"));
        CompiledProject c = ProjectCompiler.compile(dir, CompileOptions.defaults(), resolver, tmp.resolve("out"));
        Path out = c.root();
        assertTrue(Files.isRegularFile(out.resolve("lib/icons/star.png")), "the linked folder's image is compiled");
        assertArrayEquals(PNG, Files.readAllBytes(out.resolve("lib/icons/star.png")));
        assertArrayEquals(PNG, Files.readAllBytes(out.resolve("star.png")));
        assertFalse(Files.isSymbolicLink(out.resolve("lib")), "the compiled site holds copies, not links");
        assertTrue(c.warnings().stream().noneMatch(w -> w.contains("missing")), c.warnings().toString());
    }

    @Test
    void linkLeavingTheProjectIsRefusedAndNotCopied() throws IOException {
        Path secret = tmp.resolve("home/id_rsa");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "hunter2");
        Path dir = project("<p>notes</p>");
        Files.createSymbolicLink(dir.resolve("notes.txt"), secret);
        RenderException e = assertThrows(RenderException.class,
                () -> ProjectCompiler.compile(dir, CompileOptions.defaults(), resolver, tmp.resolve("out")));
        assertEquals(ErrorCode.PROJECT_ARCHIVE_INVALID, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("'notes.txt'"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out/notes.txt")), "the outside file is never copied into the site");
    }
}
