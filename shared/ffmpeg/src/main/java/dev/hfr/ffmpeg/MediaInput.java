package dev.hfr.ffmpeg;

import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How ffmpeg and ffprobe are allowed to open a file: the one place that writes an {@code -i} for a file.
 *
 * <p>A project's "video" is untrusted bytes. Left to itself, ffmpeg picks a demuxer from the content, and
 * several demuxers are indirections that open further URLs: HLS and DASH playlists, {@code ffconcat} lists,
 * SDP/RTP descriptions, {@code image2} patterns; and protocols such as {@code concat:}, {@code subfile,},
 * {@code tee:}, {@code data:} or {@code http:} reach anywhere. So every input we hand ffmpeg gets
 * <ul>
 *   <li>{@code -protocol_whitelist file}: only the local file itself; nested opens inherit the list;</li>
 *   <li>{@code -format_whitelist} of self-contained containers ({@link #PROJECT_FORMATS}); a file that probes
 *       as anything else fails with "Format not on whitelist" before its demuxer reads a byte past the probe;</li>
 *   <li>the path as a {@code file:} URL, so a file name like {@code concat:a|b} is never parsed as a protocol.</li>
 * </ul>
 * Our own assembler's concat list is trusted (we write it) and gets its own narrow list, {@link #concatList}.
 * {@link #requireMediaFile} additionally refuses playlists by their first bytes, so the error is clear and
 * names the project file.
 */
public final class MediaInput {
    /**
     * Demuxers project media may use: containers that carry their streams themselves. ffmpeg matches a
     * demuxer whose name lists several ({@code mov,mp4,m4a,3gp,3g2,mj2}) by any of them.
     */
    public static final String PROJECT_FORMATS = String.join(",", List.of("mov", "matroska", "mp3", "wav", "ogg",
            "flac", "aac", "avi", "mpegts", "mpeg", "flv", "asf", "aiff", "w64", "ivf", "gif", "png_pipe", "jpeg_pipe",
            "webp_pipe"));
    /** Chunk containers our encoder writes (mp4/mov: mov, webm: matroska). */
    public static final String CHUNK_FORMATS = "mov,matroska";
    /** stderr of ffmpeg/ffprobe when the whitelist refused a format or protocol. */
    private static final List<String> REFUSALS = List.of("not on whitelist", "Unsafe file name");

    /** First bytes of text formats that name other files or URLs; none of them is a media file. */
    private static final List<String> PLAYLIST_SIGNATURES = List.of("#EXTM3U", "#EXT-X-", "#EXTINF", "ffconcat",
            "file ", "file'", "v=0", "[playlist]", "<?xml", "<mpd", "<smil", "<asx", "rtsp:", "http:", "https:",
            "file:", "concat:", "data:");
    private static final int SNIFF_BYTES = 64;

    private MediaInput() {
    }

    /** Input options and {@code -i} for a project media file (one input). */
    public static List<String> projectFile(Path file) {
        return List.of("-protocol_whitelist", "file", "-format_whitelist", PROJECT_FORMATS, "-i", fileUrl(file));
    }

    /**
     * Jaffree's ffprobe on a project media file with the same rules as {@link #projectFile}: the file as a
     * {@code file:} URL, {@code -protocol_whitelist file}, {@code -format_whitelist} {@link #PROJECT_FORMATS}, only
     * errors on stderr. (ffprobe reads all its options before it opens the input, so their place does not matter.)
     */
    public static FFprobe ffprobe(FfmpegTools tools, Path file) {
        return new FFprobe(tools.ffprobe()).setLogLevel(LogLevel.ERROR)
                .addArguments("-protocol_whitelist", "file").addArguments("-format_whitelist", PROJECT_FORMATS)
                .setInput(fileUrl(file));
    }

    /** {@link #projectFile} as a Jaffree ffmpeg input (more input options may be added to it). */
    public static UrlInput projectInput(Path file) {
        return UrlInput.fromUrl(fileUrl(file)).addArguments("-protocol_whitelist", "file")
                .addArguments("-format_whitelist", PROJECT_FORMATS);
    }

    /** Input options and {@code -i} for a file we wrote ourselves (a chunk, the pre-mixed audio). */
    public static List<String> ownFile(Path file) {
        return List.of("-protocol_whitelist", "file", "-format_whitelist", CHUNK_FORMATS, "-i", fileUrl(file));
    }

    /**
     * Input options and {@code -i} for our assembler's concat list: the concat demuxer itself, and for the
     * chunks it opens (they inherit both lists) our chunk containers. Absolute chunk paths need {@code -safe 0}.
     */
    public static List<String> concatList(Path listFile) {
        return List.of("-f", "concat", "-safe", "0", "-protocol_whitelist", "file", "-format_whitelist",
                "concat," + CHUNK_FORMATS, "-i", fileUrl(listFile));
    }

    /** Input options for frames on stdin. */
    public static List<String> stdin() {
        return List.of("-protocol_whitelist", "pipe", "-i", "pipe:0");
    }

    /** {@code file:} plus the absolute path, so nothing in the name is read as a protocol or option. */
    static String fileUrl(Path file) {
        return "file:" + file.toAbsolutePath();
    }

    /** Whether ffmpeg's stderr says a whitelist refused the input. */
    public static boolean refused(String stderr) {
        return stderr != null && REFUSALS.stream().anyMatch(stderr::contains);
    }

    /**
     * Refuses, with MEDIA_NOT_ALLOWED naming {@code what} (e.g. the project file and its element), a file that
     * is a symlink, not a regular file, or starts like a playlist or URL list. Missing files are left to the
     * caller's own "does not exist" rule.
     */
    public static void requireMediaFile(Path file, String what) {
        if (Files.isSymbolicLink(file)) {
            throw new RenderException(ErrorCode.MEDIA_NOT_ALLOWED, what + " is a symbolic link; media must be a"
                    + " regular file of the project");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new RenderException(ErrorCode.MEDIA_NOT_ALLOWED, what + " is not a regular file");
        }
        String kind = playlistKind(head(file));
        if (kind != null) {
            throw new RenderException(ErrorCode.MEDIA_NOT_ALLOWED, what + " is " + kind + ", not a media file;"
                    + " playlists and lists of other files or URLs are not rendered (encode the media into the file)");
        }
    }

    /** What a file starting with {@code head} is, if it is a playlist, manifest or URL list; null for media. */
    static String playlistKind(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("\u00ef\u00bb\u00bf")) { // UTF-8 byte order mark
            text = text.substring(3);
        }
        text = text.stripLeading().toLowerCase(Locale.ROOT);
        for (String sig : PLAYLIST_SIGNATURES) {
            if (text.startsWith(sig.toLowerCase(Locale.ROOT))) {
                return switch (sig) {
                    case "#EXTM3U", "#EXT-X-", "#EXTINF" -> "an HLS/M3U playlist";
                    case "ffconcat", "file ", "file'" -> "an ffconcat list";
                    case "v=0" -> "an SDP session description";
                    case "[playlist]" -> "a PLS playlist";
                    case "<?xml", "<mpd", "<smil", "<asx" -> "an XML manifest (DASH, SMIL or ASX)";
                    default -> "a URL";
                };
            }
        }
        return null;
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            throw new RenderException(ErrorCode.STORAGE_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
