package dev.hfr.engine;

import dev.hfr.engine.progress.ProgressSteps;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;
import dev.hfr.storage.LocalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The environment-to-settings mapping, and that docs/configuration.md lists exactly the variables it reads. */
class HfrSettingsTest {
    private static final Path CONFIGURATION_DOC = Path.of("../../docs/configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\|");

    /** A lookup that answers from a map and records every name asked. */
    private static final class Recording implements UnaryOperator<String> {
        final Map<String, String> values;
        final Set<String> asked = new LinkedHashSet<>();

        Recording(Map<String, String> values) {
            this.values = values;
        }

        @Override
        public String apply(String name) {
            asked.add(name);
            return values.get(name);
        }
    }

    @Test
    void readsExactlyTheVariablesTheEngineSectionOfTheConfigurationPageLists() throws IOException {
        Recording env = new Recording(Map.of());
        Recording properties = new Recording(Map.of("user.home", "/home/u", "java.io.tmpdir", "/tmp"));
        HfrSettings.from(env, properties);

        assertEquals(documented("## Engine settings"), env.asked);
        assertEquals(Set.of("hfr.repo.root", "user.home", "java.io.tmpdir", "os.arch"), properties.asked);
    }

    @Test
    void defaultsWithAnEmptyEnvironment() {
        HfrSettings s = HfrSettings.from(Map.<String, String>of()::get,
                Map.of("user.home", "/home/u", "java.io.tmpdir", "/var/tmp")::get);
        assertEquals(Path.of("/var/tmp/hfr"), s.workRoot());
        assertEquals(1024L * 1024 * 1024, s.planCacheMaxBytes());
        assertEquals(Path.of("/home/u/.cache/hfr/assets"), s.assetCacheDir());
        assertEquals("https://registry.npmjs.org", s.npmRegistry().describe());
        assertNull(s.storage().allowedBucket());
        assertNull(s.storage().endpoint());
        assertEquals("us-east-1", s.storage().region());
        assertNull(s.ffmpegPath());
        assertNull(s.browser().executable());
        assertNull(s.billing(), "off Lambda nothing is billed");
        assertEquals(Duration.ofSeconds(13440), s.renderTimeout());
    }

    @Test
    void theBilledSizeAndTheRenderTimeoutReachTheEngine(@TempDir Path tmp) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("HFR_FFMPEG_PATH", executable(tmp.resolve("bin/ffmpeg")).toString());
        executable(tmp.resolve("bin/ffprobe"));
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3008");
        env.put("HFR_EPHEMERAL_STORAGE_MB", "2048");
        env.put("HFR_RENDER_TIMEOUT_SECONDS", " 600 ");
        HfrSettings s = HfrSettings.from(env::get, Map.of("user.home", "/h", "java.io.tmpdir", "/tmp", "os.arch", "aarch64")::get);
        assertEquals(new ProgressSteps.Billing(3008, 2048, true), s.billing());
        assertEquals(Duration.ofSeconds(600), s.renderTimeout());
        assertEquals(s.billing(), s.engineOptions().billing());
        assertEquals(s.renderTimeout(), s.engineOptions().renderTimeout());
        assertEquals(s.renderTimeout(), s.engineOptions().withStorage(new LocalStorage()).renderTimeout());
        assertEquals(s.billing(), s.withBrowser(s.browser()).withFfmpeg(Path.of("/f"), Path.of("/p")).billing());

        env.remove("HFR_EPHEMERAL_STORAGE_MB");
        HfrSettings x86 = HfrSettings.from(env::get, Map.of("user.home", "/h", "java.io.tmpdir", "/tmp", "os.arch", "amd64")::get);
        assertEquals(new ProgressSteps.Billing(3008, 512, false), x86.billing(), "/tmp defaults to the free 512 MB");

        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots");
        assertNull(HfrSettings.from(env::get, Map.of("user.home", "/h", "java.io.tmpdir", "/tmp")::get).billing(),
                "an unreadable memory size bills nothing, as before");
    }

    @Test
    void aBadRenderTimeoutIsAnInvalidConfigNamingTheVariable() {
        for (String bad : new String[] {"0", "-5", "4h"}) {
            RenderException e = assertThrows(RenderException.class, () -> HfrSettings.from(
                    Map.of("HFR_RENDER_TIMEOUT_SECONDS", bad)::get, Map.of("user.home", "/h", "java.io.tmpdir", "/tmp")::get));
            assertEquals(ErrorCode.INVALID_CONFIG, e.code());
            assertTrue(e.getMessage().contains("HFR_RENDER_TIMEOUT_SECONDS is '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void eachVariableReachesItsTypedValue(@TempDir Path tmp) throws IOException {
        Path chromium = executable(tmp.resolve("chromium"));
        Path ffmpeg = executable(tmp.resolve("bin/ffmpeg"));
        Path ffprobe = executable(tmp.resolve("bin/ffprobe"));
        Map<String, String> env = new HashMap<>();
        env.put("HFR_RENDER_BUCKET", "renders");
        env.put("HFR_S3_ENDPOINT", "http://127.0.0.1:4566");
        env.put("AWS_REGION", "eu-west-1");
        env.put("HFR_OUTPUT_PREFIXES", "a/,b");
        env.put("HFR_CHROMIUM_PATH", chromium.toString());
        env.put("HFR_FFMPEG_PATH", ffmpeg.toString());
        env.put("PATH", "/nonexistent");
        env.put("HFR_REPO_ROOT", "/repo");
        env.put("HFR_NPM_REGISTRY", "off");
        env.put("HFR_WORK_DIR", tmp.resolve("work").toString());
        env.put("HFR_PLAN_CACHE_MB", "5");

        HfrSettings s = HfrSettings.from(env::get, Map.of("user.home", "/home/u", "java.io.tmpdir", "/tmp")::get);

        assertEquals("renders", s.storage().allowedBucket());
        assertEquals("http://127.0.0.1:4566", s.storage().endpoint().toString());
        assertTrue(s.storage().forcePathStyle());
        assertEquals("eu-west-1", s.storage().region());
        assertEquals(java.util.List.of("a/", "b/"), s.storage().outputPrefixes());
        assertEquals(chromium, s.browser().executable());
        assertEquals(ffmpeg, s.ffmpegTools().ffmpeg());
        assertEquals(ffprobe, s.ffmpegTools().ffprobe(), "ffprobe next to ffmpeg");
        assertEquals(Path.of("/repo/.cache/assets"), s.assetCacheDir());
        assertTrue(s.npmRegistry().isOffline());
        assertEquals(tmp.resolve("work"), s.workRoot());
        assertEquals(5L * 1024 * 1024, s.planCacheMaxBytes());
        assertEquals(s.workRoot(), s.engineOptions().workRoot());
        assertEquals(s.npmRegistry(), s.engineOptions().npmRegistry());
        assertEquals(5L * 1024 * 1024, s.engineOptions().planCacheMaxBytes());

        env.put("HFR_OFFLINE", "1");
        env.remove("HFR_NPM_REGISTRY");
        env.put("HFR_ASSET_CACHE", "/cache");
        HfrSettings offline = HfrSettings.from(env::get, Map.<String, String>of()::get);
        assertTrue(offline.npmRegistry().isOffline());
        assertEquals(Path.of("/cache"), offline.assetCacheDir());
    }

    @Test
    void aBadPlanCacheSizeIsAnInvalidConfigNamingTheVariable() {
        RenderException e = assertThrows(RenderException.class, () -> HfrSettings.from(
                Map.of("HFR_PLAN_CACHE_MB", "lots")::get, Map.of("user.home", "/h", "java.io.tmpdir", "/tmp")::get));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("HFR_PLAN_CACHE_MB"), e.getMessage());
        assertFalse(e.code().retryable());
    }

    @Test
    void theLambdaReplacementsTakeThePlaceOfTheLookups(@TempDir Path tmp) throws IOException {
        Path ffmpeg = executable(tmp.resolve("bin/ffmpeg"));
        Path ffprobe = executable(tmp.resolve("bin/ffprobe"));
        HfrSettings s = HfrSettings.from(Map.of("PATH", "/nonexistent")::get,
                Map.of("user.home", "/h", "java.io.tmpdir", "/tmp")::get).withFfmpeg(ffmpeg, ffprobe);
        assertEquals(ffmpeg, s.ffmpegTools().ffmpeg());
        assertEquals(ffprobe, s.ffmpegTools().ffprobe());
    }

    private static Path executable(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** The variable names of the table under {@code heading} in docs/configuration.md, in order. */
    static Set<String> documented(String heading) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        boolean in = false;
        for (String line : Files.readAllLines(CONFIGURATION_DOC)) {
            if (line.startsWith("## ")) {
                in = line.startsWith(heading);
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (in && m.find()) {
                names.add(m.group(1));
            }
        }
        assertFalse(names.isEmpty(), "no table under " + heading + " in " + CONFIGURATION_DOC);
        return names;
    }
}
