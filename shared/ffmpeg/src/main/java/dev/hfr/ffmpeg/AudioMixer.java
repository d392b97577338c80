package dev.hfr.ffmpeg;

import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.ffmpeg.FFmpegResult;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import dev.hfr.ffmpeg.internal.Num;
import dev.hfr.ffmpeg.internal.InspectableFFmpeg;
import dev.hfr.ffmpeg.internal.JaffreeRuns;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Mixes every audio clip of a composition, once at plan time, into one AAC track (48 kHz stereo,
 * 192 kb/s) exactly as long as the composition. Each clip is cut from its media start, sped up or
 * slowed down with pitch kept ({@code atempo}, as browsers play {@code playbackRate}), scaled by its
 * volume and delayed to its start on the timeline. Clips are summed with {@code amix normalize=0}:
 * amix's default divides every input by N, which would make a lone clip quieter the more clips the
 * composition has.
 */
public final class AudioMixer {
    public static final int SAMPLE_RATE = 48_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private AudioMixer() {
    }

    /**
     * One audio source placed on the timeline.
     *
     * @param source            media file with an audio stream
     * @param startSeconds      where the clip starts on the composition timeline
     * @param mediaStartSeconds where in the source the clip starts playing
     * @param durationSeconds   how long the clip plays on the timeline, or null for "to the end of the source"
     * @param volume            linear gain (1 = unchanged, 0 = muted)
     * @param playbackRate      media seconds per timeline second (1 = normal speed)
     */
    public record AudioClip(Path source, double startSeconds, double mediaStartSeconds, Double durationSeconds,
                            double volume, double playbackRate) {
        public AudioClip {
            if (source == null) {
                throw new IllegalArgumentException("audio clip source is null");
            }
            if (!(startSeconds >= 0) || !(mediaStartSeconds >= 0) || !(volume >= 0) || !(playbackRate > 0)
                    || (durationSeconds != null && !(durationSeconds > 0))) {
                throw new RenderException(ErrorCode.COMPOSITION_INVALID, "audio clip " + source + " has start="
                        + startSeconds + " mediaStart=" + mediaStartSeconds + " duration=" + durationSeconds
                        + " volume=" + volume + " playbackRate=" + playbackRate
                        + "; expected non-negative times and volume, positive duration and rate");
            }
        }

        /** A clip that plays its source from the beginning at normal speed and volume. */
        public static AudioClip at(Path source, double startSeconds) {
            return new AudioClip(source, startSeconds, 0, null, 1, 1);
        }
    }

    /** Mixes {@code clips} into {@code outputM4a} ({@code totalDurationSeconds} long); failure -> AUDIO_MIX_FAILED. */
    public static void mix(FfmpegTools tools, List<AudioClip> clips, double totalDurationSeconds, Path outputM4a) {
        if (!(totalDurationSeconds > 0)) {
            throw new RenderException(ErrorCode.AUDIO_MIX_FAILED, "audio mix for " + outputM4a
                    + " needs a positive total duration, got " + totalDurationSeconds);
        }
        for (AudioClip c : clips) {
            if (!Files.isRegularFile(c.source())) {
                throw new RenderException(ErrorCode.AUDIO_MIX_FAILED, "audio source " + c.source() + " does not exist");
            }
            MediaInput.requireMediaFile(c.source(), "audio source " + c.source());
        }
        Path parent = outputM4a.toAbsolutePath().getParent();
        Path temp = parent.resolve("." + outputM4a.getFileName() + ".partial-" + UUID.randomUUID() + ".m4a");
        try {
            Files.createDirectories(parent);
            JaffreeRuns.Outcome<FFmpegResult> r = JaffreeRuns.run(ffmpeg(tools, clips, totalDurationSeconds, temp)::execute,
                    TIMEOUT, ErrorCode.AUDIO_MIX_FAILED, "the audio mix into " + outputM4a);
            if (!r.ok() && MediaInput.refused(r.failure().stderr())) {
                throw new RenderException(ErrorCode.MEDIA_NOT_ALLOWED, "an audio source of "
                        + clips.stream().map(c -> c.source().getFileName().toString()).toList()
                        + " is not a self-contained media container (allowed: " + MediaInput.PROJECT_FORMATS + "): "
                        + RenderException.tail(r.failure().stderr(), 12));
            }
            if (!r.ok()) {
                throw new RenderException(ErrorCode.AUDIO_MIX_FAILED, "ffmpeg could not mix " + clips.size()
                        + " audio clips (" + clips.stream().map(c -> c.source().getFileName().toString()).toList()
                        + ") into " + outputM4a + ": " + RenderException.tail(r.failure().stderr(), 12), r.failure().cause());
            }
            try {
                Files.move(temp, outputM4a, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, outputM4a, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "writing audio mix " + outputM4a + ": "
                    + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // hidden temp name; never mistaken for the output
            }
        }
    }

    /**
     * The ffmpeg run of a mix, built with Jaffree (pure until executed; {@link #command} shows its arguments).
     * No clips -> silence of the total length.
     */
    static InspectableFFmpeg ffmpeg(FfmpegTools tools, List<AudioClip> clips, double totalDurationSeconds, Path output) {
        String total = Num.fmt(totalDurationSeconds);
        InspectableFFmpeg f = new InspectableFFmpeg(tools.ffmpeg());
        f.setLogLevel(LogLevel.ERROR).setOverwriteOutput(true).addArgument("-nostdin").addArgument("-nostats");
        UrlOutput out = UrlOutput.toPath(output);
        if (clips.isEmpty()) {
            f.addInput(UrlInput.fromUrl("anullsrc=r=" + SAMPLE_RATE + ":cl=stereo").setFormat("lavfi"));
            out.addArguments("-map", "0:a");
        } else {
            for (AudioClip c : clips) {
                UrlInput in = MediaInput.projectInput(c.source());
                if (c.mediaStartSeconds() > 0) {
                    in.addArguments("-ss", Num.fmt(c.mediaStartSeconds()));
                }
                if (c.durationSeconds() != null) {
                    in.addArguments("-t", Num.fmt(c.durationSeconds() * c.playbackRate()));
                }
                f.addInput(in);
            }
            f.setComplexFilter(filterGraph(clips, totalDurationSeconds));
            out.addArguments("-map", "[mix]");
        }
        out.addArguments("-c:a", "aac").addArguments("-b:a", "192k").addArguments("-ar", Integer.toString(SAMPLE_RATE))
                .addArguments("-ac", "2").addArguments("-t", total).addArguments("-movflags", "+faststart")
                .setFormat("mp4");
        f.addOutput(out);
        return f;
    }

    /** The arguments (after the executable) {@link #ffmpeg} runs with: what the unit tests check. */
    static List<String> command(FfmpegTools tools, List<AudioClip> clips, double totalDurationSeconds, Path output) {
        return ffmpeg(tools, clips, totalDurationSeconds, output).arguments();
    }

    /** The filter graph: per clip resample, tempo, volume and delay; then an un-normalised sum cut to length. */
    static String filterGraph(List<AudioClip> clips, double totalDurationSeconds) {
        String total = Num.fmt(totalDurationSeconds);
        StringBuilder g = new StringBuilder();
        for (int i = 0; i < clips.size(); i++) {
            AudioClip c = clips.get(i);
            // a mono source plays at full level on both speakers in a browser; ffmpeg's default
            // mono->stereo upmix is 3 dB quieter (centre mix level), so map channels explicitly
            g.append('[').append(i).append(":a:0]")
                    .append("pan=stereo|FL<FL+FC|FR<FR+FC,")
                    .append("aresample=").append(SAMPLE_RATE)
                    .append(",aformat=sample_fmts=fltp:channel_layouts=stereo,asetpts=PTS-STARTPTS");
            for (String tempo : atempoChain(c.playbackRate())) {
                g.append(",atempo=").append(tempo);
            }
            if (c.volume() != 1) {
                g.append(",volume=").append(Num.fmt(c.volume()));
            }
            long delaySamples = Math.round(c.startSeconds() * SAMPLE_RATE);
            if (delaySamples > 0) {
                g.append(",adelay=delays=").append(delaySamples).append("S:all=1");
            }
            g.append("[a").append(i).append("];");
        }
        for (int i = 0; i < clips.size(); i++) {
            g.append("[a").append(i).append(']');
        }
        g.append("amix=inputs=").append(clips.size()).append(":duration=longest:dropout_transition=0:normalize=0")
                .append(",apad=whole_dur=").append(total).append(",atrim=end=").append(total).append("[mix]");
        return g.toString();
    }

    /** atempo takes 0.5..100 per instance; slower rates are a chain of 0.5 steps. */
    static List<String> atempoChain(double rate) {
        List<String> chain = new ArrayList<>();
        double r = rate;
        while (r < 0.5) {
            chain.add("0.5");
            r /= 0.5;
        }
        while (r > 100) {
            chain.add("100");
            r /= 100;
        }
        if (Math.abs(r - 1) > 1e-9) {
            chain.add(Num.fmt(r));
        }
        return chain;
    }
}
