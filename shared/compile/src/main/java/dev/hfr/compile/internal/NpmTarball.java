package dev.hfr.compile.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks an npm package tarball (gzip'd ustar, every entry under one top folder, usually
 * {@code package/}) into a directory, dropping that top folder. Regular files and folders only: links
 * and devices are skipped, and an entry whose path leaves the target folder fails the whole unpack.
 */
public final class NpmTarball {
    /** Most files and bytes one package may unpack to (a decompression bomb stops here). */
    static final int MAX_ENTRIES = 20_000;
    static final long MAX_UNPACKED_BYTES = 1024L * 1024 * 1024;

    private NpmTarball() {
    }

    public static void extract(byte[] tgz, Path dir) throws IOException {
        extract(new ByteArrayInputStream(tgz), dir);
    }

    /** Unpacks the gzip'd tar read from {@code tgz} (not closed) into {@code dir}. */
    public static void extract(InputStream tgz, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        try (InputStream in = new GZIPInputStream(new java.io.BufferedInputStream(tgz))) {
            byte[] header = new byte[512];
            String longName = null;
            String paxPath = null;
            int entries = 0;
            long total = 0;
            while (true) {
                if (in.readNBytes(header, 0, 512) < 512 || isZero(header)) {
                    return;
                }
                String name = text(header, 0, 100);
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                String prefix = text(header, 345, 155);
                if (!prefix.isEmpty() && "ustar".equals(text(header, 257, 5))) {
                    name = prefix + "/" + name;
                }
                if (size < 0 || (total += size) > MAX_UNPACKED_BYTES || ++entries > MAX_ENTRIES) {
                    throw new IOException("tarball unpacks to more than " + MAX_ENTRIES + " entries or "
                            + MAX_UNPACKED_BYTES + " bytes");
                }
                if (type == 'L' || type == 'x' || type == 'g') {
                    byte[] data = in.readNBytes((int) size);
                    skipPadding(in, size);
                    if (type == 'L') {
                        longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                    } else if (type == 'x') {
                        paxPath = paxValue(new String(data, StandardCharsets.UTF_8), "path");
                    }
                    continue;
                }
                if (paxPath != null) {
                    name = paxPath;
                } else if (longName != null) {
                    name = longName;
                }
                paxPath = null;
                longName = null;
                int slash = name.indexOf('/');
                String rel = slash < 0 ? "" : name.substring(slash + 1);
                Path out = root.resolve(rel).normalize();
                if (!out.startsWith(root) || rel.startsWith("/")) {
                    throw new IOException("tarball entry " + name + " points outside the package");
                }
                if (type == '0' || type == '\0' || type == '7') {
                    if (!rel.isEmpty()) {
                        Files.createDirectories(out.getParent());
                        Files.copy(new Bounded(in, size), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        in.skipNBytes(size);
                    }
                } else {
                    if (type == '5' && !rel.isEmpty()) {
                        Files.createDirectories(out);
                    }
                    in.skipNBytes(size);
                }
                skipPadding(in, size);
            }
        }
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long pad = (512 - size % 512) % 512;
        in.skipNBytes(pad);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        if ((b[off] & 0x80) != 0) {
            return -1; // base-256 sizes are far beyond any npm package
        }
        String s = text(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    /** A pax record set's value for a key ("27 path=package/some/long/name\n"). */
    private static String paxValue(String records, String key) {
        for (String line : records.split("\n")) {
            int space = line.indexOf(' ');
            int eq = line.indexOf('=');
            if (space > 0 && eq > space && line.substring(space + 1, eq).equals(key)) {
                return line.substring(eq + 1);
            }
        }
        return null;
    }

    /** Reads at most {@code remaining} bytes of the underlying stream, never closing it. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long remaining;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                remaining--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
