package dev.hfr.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Issue 13 item 8: a full disk anywhere in plan, chunk or assemble is INSUFFICIENT_DISK, never a retried STORAGE_ERROR. */
class DiskFullTest {
    /** What the JDK throws when write(2) fails with ENOSPC. */
    private static IOException enospc() {
        return new FileSystemException("/tmp/work/plan-1/compiled/big.bin", null, "No space left on device");
    }

    @Test
    void ioExceptionSayingNoSpaceBecomesInsufficientDisk() {
        RenderException e = RenderException.wrap(enospc());
        assertEquals(ErrorCode.INSUFFICIENT_DISK, e.code());
        assertFalse(e.retryable());
    }

    @Test
    void retryableCodesWithAFullDiskCauseBecomeInsufficientDisk() {
        assertEquals(ErrorCode.INSUFFICIENT_DISK,
                new RenderException(ErrorCode.STORAGE_ERROR, "extracting the project failed", enospc()).code());
        assertEquals(ErrorCode.INSUFFICIENT_DISK,
                RenderException.wrap(new UncheckedIOException(new IOException("No space left on device"))).code());
        assertEquals(ErrorCode.INSUFFICIENT_DISK, new RenderException(ErrorCode.INTERNAL_ERROR, "wrapped",
                new RuntimeException(new RenderException(ErrorCode.STORAGE_ERROR, "inner", enospc()))).code());
    }

    @Test
    void ffmpegQuotingEnospcInItsStderrBecomesInsufficientDisk() {
        String stderr = "[mp4 @ 0x55] Error writing trailer of out.mp4: No space left on device";
        assertEquals(ErrorCode.INSUFFICIENT_DISK, new RenderException(ErrorCode.ENCODE_FAILED,
                "ffmpeg exited 1 while encoding chunk 3: " + stderr).code());
        assertEquals(ErrorCode.INSUFFICIENT_DISK, new RenderException(ErrorCode.VIDEO_EXTRACTION_FAILED, stderr).code());
    }

    @Test
    void otherFailuresKeepTheirCodes() {
        assertEquals(ErrorCode.STORAGE_ERROR, RenderException.wrap(new IOException("Connection reset")).code());
        assertEquals(ErrorCode.INTERRUPTED, new RenderException(ErrorCode.INTERRUPTED, "interrupted", enospc()).code());
        assertEquals(ErrorCode.PROJECT_ARCHIVE_INVALID,
                new RenderException(ErrorCode.PROJECT_ARCHIVE_INVALID, "bad entry", enospc()).code());
    }
}
