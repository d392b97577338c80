package dev.hfr.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan hash: sha256 over a domain tag and the canonical JSON of the manifest without its hash.
 * The manifest holds every artifact's sha256, the engine and ffmpeg versions and the encoder settings,
 * so any change to content, tools or settings changes the hash.
 */
public final class PlanHash {
    public static final String DOMAIN = "hfr-plan-hash-v1";

    private PlanHash() {
    }

    public static String compute(PlanManifest m) {
        return Sha256.hex(DOMAIN + "\0" + canonical(m));
    }

    /** Throws PLAN_HASH_MISMATCH unless the manifest's content hashes to both its own and the expected hash. */
    public static void verify(PlanManifest m, String expectedHash) {
        String actual = compute(m);
        if (!actual.equals(m.planHash())) {
            throw new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "plan manifest content hashes to " + actual
                    + " but records planHash " + m.planHash()
                    + ": the manifest was altered or partly written; re-plan and re-fan-out");
        }
        if (expectedHash != null && !expectedHash.equals(actual)) {
            throw new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "the event carries PlanHash " + expectedHash
                    + " but the plan on storage hashes to " + actual
                    + ": the plan was replaced after this step was scheduled; re-plan and re-fan-out");
        }
    }

    static String canonical(PlanManifest m) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", m.schema());
        root.put("renderId", m.renderId());
        root.put("engineVersion", m.engineVersion());
        root.put("ffmpegVersion", m.ffmpegVersion());
        root.put("format", m.format());
        CompositionInfo c = m.composition();
        root.put("composition", map("compositionId", c.compositionId(), "width", c.width(), "height", c.height(),
                "fps", c.fps(), "durationSeconds", c.durationSeconds(), "totalFrames", c.totalFrames(),
                "videoCount", c.videoCount(), "audioCount", c.audioCount()));
        EncoderSettings e = m.encoder();
        root.put("encoder", map("encoder", e.encoder(), "quality", e.quality(), "preset", e.preset(), "crf", e.crf(),
                "bitrate", e.bitrate(), "pixelFormat", e.pixelFormat(), "captureFormat", e.captureFormat(),
                "jpegQuality", e.jpegQuality(), "vp9CpuUsed", e.vp9CpuUsed()));
        root.put("chunks", m.chunks().stream().map(s -> (Object) List.of(s.index(), s.startFrame(), s.endFrame())).toList());
        root.put("hasAudio", m.hasAudio());
        root.put("artifacts", m.artifacts().stream().map(a -> (Object) map("path", a.path(), "sha256", a.sha256(),
                "sizeBytes", a.sizeBytes(), "chunks", a.chunks(), "assembler", a.assembler())).toList());
        root.put("warnings", m.warnings());
        return CanonicalJson.write(root);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
