package dev.hfr.ffmpeg;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * File names of png-sequence frames: {@code frame-%06d.png}, numbered by GLOBAL frame index (the
 * composition's frame number, starting at 0), so chunk directories never collide and sorting by name
 * is frame order (six digits cover 999,999 frames = 4.6 h at 60 fps; longer runs widen naturally and
 * {@link #indexOf} still parses them).
 */
public final class FrameNames {
    public static final String PATTERN = "frame-%06d.png";
    private static final Pattern FRAME = Pattern.compile("frame-(\\d{6,})\\.png");

    private FrameNames() {
    }

    public static String name(int globalFrameIndex) {
        return String.format(Locale.ROOT, PATTERN, globalFrameIndex);
    }

    public static boolean isFrame(String fileName) {
        return FRAME.matcher(fileName).matches();
    }

    /** The global frame index in a frame file name, or -1 when it is not a frame file. */
    public static int indexOf(String fileName) {
        var m = FRAME.matcher(fileName);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
