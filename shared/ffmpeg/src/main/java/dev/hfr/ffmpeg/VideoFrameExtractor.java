package dev.hfr.ffmpeg;

import dev.hfr.ffmpeg.internal.Num;
import dev.hfr.ffmpeg.internal.ProcessRunner;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Pre-extracts the frames a {@code <video>} element shows, once at plan time, so capture can paint
 * images instead of decoding video in the browser. Frame {@code k} (file {@code %06d.<ext>}, from
 * {@code 000000}) is the last source picture at or before media time {@code mediaStart + k * playbackRate / fps}.
 *
 * <p>Colour, as HyperFrames' engine extracts SDR video: the picture is decoded to RGB with the matrix
 * the stream is tagged with, or, untagged, with the one Chromium guesses (BT.709 from 720 lines up
 * unless VP9/AV1, else BT.601), so it looks as the {@code <video>} element would. A JPEG frame is then
 * written as BT.601 full-range YCbCr, the only reading a browser gives a JPEG; left in the source's
 * BT.709 coefficients, a red of 251 came out of the page as 227. HDR (BT.2020) streams are left as
 * they are.
 */
public final class VideoFrameExtractor {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private VideoFrameExtractor() {
    }

    /**
     * Extracts up to {@code ceil(durationSeconds * fps)} frames into {@code outDir} (stale frames of
     * an earlier run there are removed first). Returns the number written, which is smaller only when
     * the source ends first (the page then holds the last one); a media start after the source's last
     * picture gives one frame, that picture. A missing, undecodable or corrupt source -> VIDEO_SOURCE_UNRENDERABLE.
     */
    public static int extract(FfmpegTools tools, Path source, double mediaStartSeconds, double durationSeconds,
                              double playbackRate, int fps, Path outDir, String imageFormat) {
        String ext = extension(imageFormat);
        if (!Files.isRegularFile(source)) {
            throw new RenderException(ErrorCode.VIDEO_SOURCE_UNRENDERABLE, "video source " + source + " does not exist");
        }
        if (!(durationSeconds > 0) || !(playbackRate > 0) || !(mediaStartSeconds >= 0) || fps <= 0) {
            throw new IllegalArgumentException("extract " + source + ": need duration > 0, rate > 0, mediaStart >= 0,"
                    + " fps > 0; got " + durationSeconds + ", " + playbackRate + ", " + mediaStartSeconds + ", " + fps);
        }
        MediaInput.requireMediaFile(source, "video source " + source);
        MediaInfo info;
        try {
            info = MediaProbe.probe(tools, source, ErrorCode.VIDEO_SOURCE_UNRENDERABLE);
        } catch (RenderException e) {
            if (e.code() == ErrorCode.MEDIA_NOT_ALLOWED) {
                throw e;
            }
            throw new RenderException(ErrorCode.VIDEO_SOURCE_UNRENDERABLE, "video source " + source
                    + " cannot be read: " + e.getMessage(), e);
        }
        if (!info.hasVideo()) {
            throw new RenderException(ErrorCode.VIDEO_SOURCE_UNRENDERABLE, "video source " + source
                    + " has no video stream");
        }
        int frames = frameCount(durationSeconds, fps, info.variableFrameRate());
        try {
            Files.createDirectories(outDir);
            removeStaleFrames(outDir, ext);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot prepare " + outDir + ": " + e.getMessage(), e);
        }
        List<String> cmd = command(tools, source, info, mediaStartSeconds, durationSeconds,
                playbackRate, fps, frames, outDir, ext);
        ProcessRunner.Result r = ProcessRunner.run(cmd, TIMEOUT, ErrorCode.VIDEO_EXTRACTION_FAILED);
        int written;
        try {
            written = countFrames(outDir, ext);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot list " + outDir + ": " + e.getMessage(), e);
        }
        if (r.ok() && written == 0 && mediaStartSeconds > 0) {
            // started after the last picture (at, past or just before the end): a <video> seeked there shows
            // its last picture, as HyperFrames renders it (its finalFrameOnly extraction); a source that
            // decodes to nothing at all still fails below
            r = ProcessRunner.run(lastFrameCommand(tools, source, info, outDir, ext), TIMEOUT,
                    ErrorCode.VIDEO_EXTRACTION_FAILED);
            try {
                written = countFrames(outDir, ext);
            } catch (IOException e) {
                throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot list " + outDir + ": " + e.getMessage(), e);
            }
        }
        if (!r.ok() || written == 0) {
            throw new RenderException(ErrorCode.VIDEO_SOURCE_UNRENDERABLE, "video source " + source
                    + " could not be decoded (exit " + r.exitCode() + ", " + written + " frames): " + r.stderrTail());
        }
        return written;
    }

    /**
     * The source's last picture as frame 0 (pure): the last second is decoded and every picture
     * written over the same file, so the one left is the last.
     */
    static List<String> lastFrameCommand(FfmpegTools tools, Path source, MediaInfo info, Path outDir, String ext) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-hide_banner", "-nostdin", "-nostats",
                "-v", "error", "-y"));
        cmd.addAll(decoder(info, ext));
        cmd.addAll(List.of("-sseof", "-1"));
        cmd.addAll(MediaInput.projectFile(source));
        cmd.addAll(List.of("-an", "-sn", "-dn"));
        String vf = colourFilter(info, ext);
        if (!vf.isEmpty()) {
            cmd.addAll(List.of("-vf", vf.substring(1)));
        }
        if ("jpg".equals(ext)) {
            cmd.addAll(List.of("-q:v", "2"));
        } else {
            cmd.addAll(List.of("-c:v", "png", "-compression_level", "1"));
        }
        cmd.addAll(List.of("-update", "1", "-f", "image2", outDir.resolve("000000." + ext).toString()));
        return cmd;
    }

    /**
     * The pictures a clip of {@code durationSeconds} extracts at {@code fps}, as HyperFrames 0.8.170 extracts them
     * (its ffmpeg run with {@code -t} the clip's duration writes this many): the nearest whole number of frames for
     * a constant-rate source, so a 13.88 s clip at 30 fps has 416 pictures and the composition's frame 416 holds
     * picture 415; every frame for a variable-rate one (rounded up). At least one. Exact products stay exact.
     */
    public static int frameCount(double durationSeconds, int fps, boolean variableFrameRate) {
        double frames = durationSeconds * fps;
        int n = variableFrameRate ? (int) Math.ceil(frames - 1e-6) : (int) Math.floor(frames + 0.5 + 1e-9);
        return Math.max(1, n);
    }

    /** The extraction command (pure; unit-tested). */
    public static List<String> command(FfmpegTools tools, Path source, MediaInfo info, double mediaStartSeconds,
                                       double durationSeconds, double playbackRate, int fps, int frames, Path outDir,
                                       String ext) {
        List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-hide_banner", "-nostdin", "-nostats",
                "-v", "error", "-y"));
        cmd.addAll(decoder(info, ext));
        if (mediaStartSeconds > 0) {
            cmd.addAll(List.of("-ss", Num.fmt(mediaStartSeconds)));
        }
        // one extra output frame of media so the fps filter can still place the last frame
        double mediaSeconds = (durationSeconds + 1.0 / fps) * playbackRate;
        cmd.addAll(List.of("-t", Num.fmt(mediaSeconds)));
        cmd.addAll(MediaInput.projectFile(source));
        cmd.addAll(List.of("-an", "-sn", "-dn"));
        // frame k shows the last source picture at or before its time, as a playing <video> does and as
        // HyperFrames samples (fps round=up; the one-tick nudge keeps a picture exactly on the grid on it)
        String vf = "setpts=(PTS-STARTPTS)/" + Num.fmt(playbackRate) + ",settb=intb/2,setpts=PTS-lte(TB\\,0.001)"
                + ",fps=" + fps + ":start_time=0:round=up" + colourFilter(info, ext);
        cmd.addAll(List.of("-vf", vf, "-frames:v", Integer.toString(frames), "-start_number", "0"));
        if ("jpg".equals(ext)) {
            cmd.addAll(List.of("-q:v", "2"));
        } else {
            cmd.addAll(List.of("-c:v", "png", "-compression_level", "1"));
        }
        cmd.addAll(List.of("-f", "image2", outDir.resolve("%06d." + ext).toString()));
        return cmd;
    }

    /** The decoder to use: ffmpeg's native VP8/VP9 decoders drop the alpha plane a PNG frame keeps; libvpx keeps it. */
    private static List<String> decoder(MediaInfo info, String ext) {
        if ("png".equals(ext) && "vp9".equals(info.videoCodec())) {
            return List.of("-c:v", "libvpx-vp9");
        }
        if ("png".equals(ext) && "vp8".equals(info.videoCodec())) {
            return List.of("-c:v", "libvpx");
        }
        return List.of();
    }

    /**
     * The filters after the fps filter that give the browser the source's colours (see the class doc):
     * empty for HDR, else Chromium's matrix guess for an untagged stream and, for JPEG, the conversion
     * through RGB to BT.601 full range.
     */
    static String colourFilter(MediaInfo info, String ext) {
        String matrix = info.colorSpace();
        if (matrix != null && matrix.startsWith("bt2020")) {
            return "";
        }
        StringBuilder vf = new StringBuilder();
        if (matrix == null) {
            boolean hd = info.height() >= 720 && !"vp9".equals(info.videoCodec()) && !"av1".equals(info.videoCodec());
            vf.append(",setparams=colorspace=").append(hd ? "bt709" : "smpte170m");
        }
        if ("jpg".equals(ext)) {
            vf.append(",scale=flags=accurate_rnd,format=gbrp,scale=out_color_matrix=bt601:out_range=pc,format=yuv420p");
        }
        return vf.toString();
    }

    private static String extension(String imageFormat) {
        return switch (imageFormat == null ? "" : imageFormat) {
            case "jpg", "jpeg" -> "jpg";
            case "png" -> "png";
            default -> throw new IllegalArgumentException("imageFormat must be jpg or png, got " + imageFormat);
        };
    }

    private static Pattern framePattern(String ext) {
        return Pattern.compile("\\d{6,}\\." + ext);
    }

    private static int countFrames(Path dir, String ext) throws IOException {
        Pattern p = framePattern(ext);
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(f -> p.matcher(f.getFileName().toString()).matches()).count();
        }
    }

    private static void removeStaleFrames(Path dir, String ext) throws IOException {
        Pattern p = framePattern(ext);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(f -> p.matcher(f.getFileName().toString()).matches()).toList()) {
                Files.delete(f);
            }
        }
    }
}
