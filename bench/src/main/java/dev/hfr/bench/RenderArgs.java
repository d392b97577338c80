package dev.hfr.bench;

import java.util.List;

/** Flags of {@code BenchMain render}; null means the product default. */
record RenderArgs(int workers, Integer crf, String quality, Integer chunkSize, Integer fps, String format) {

    static RenderArgs parse(List<String> args) {
        int workers = Runtime.getRuntime().availableProcessors();
        Integer crf = null;
        String quality = null;
        Integer chunkSize = null;
        Integer fps = null;
        String format = "mp4";
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args.get(++i);
            switch (flag) {
                case "--workers" -> workers = Integer.parseInt(v);
                case "--crf" -> crf = Integer.parseInt(v);
                case "--quality" -> quality = v;
                case "--chunk-size" -> chunkSize = Integer.parseInt(v);
                case "--fps" -> fps = Integer.parseInt(v);
                case "--format" -> format = v;
                default -> throw new IllegalArgumentException("unknown flag " + flag
                        + " (expected --workers, --crf, --quality, --chunk-size, --fps, --format)");
            }
        }
        return new RenderArgs(workers, crf, quality, chunkSize, fps, format);
    }
}
