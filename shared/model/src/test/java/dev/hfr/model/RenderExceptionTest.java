package dev.hfr.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How unexpected exceptions become codes: programming errors are never retried, I/O failures are. */
class RenderExceptionTest {
    @Test
    void programmingErrorsAreNotRetried() {
        for (RuntimeException e : new RuntimeException[]{new IllegalArgumentException("bad arg"),
                new IllegalStateException("bad state"), new NullPointerException("npe"), new ClassCastException("cce"),
                new IndexOutOfBoundsException("ioobe"), new UnsupportedOperationException("uoe"),
                new ArithmeticException("/ by zero")}) {
            RenderException re = RenderException.wrap(e);
            assertEquals(ErrorCode.PROGRAMMING_ERROR, re.code(), e.toString());
            assertFalse(re.code().retryable(), e.toString());
            assertSame(e, re.getCause());
            assertTrue(re.getMessage().contains(e.getClass().getSimpleName()) && re.getMessage().contains(e.getMessage()),
                    re.getMessage());
        }
    }

    @Test
    void ioFailuresAreRetriedStorageErrors() {
        assertEquals(ErrorCode.STORAGE_ERROR, RenderException.wrap(new IOException("reset")).code());
        assertEquals(ErrorCode.STORAGE_ERROR,
                RenderException.wrap(new UncheckedIOException(new IOException("reset"))).code());
        assertTrue(ErrorCode.STORAGE_ERROR.retryable());
    }

    @Test
    void otherFailuresStayRetriedInternalErrorsAndCodesAreKept() {
        assertEquals(ErrorCode.INTERNAL_ERROR, RenderException.wrap(new RuntimeException("driver hiccup")).code());
        RenderException typed = new RenderException(ErrorCode.PLAN_HASH_MISMATCH, "x");
        assertSame(typed, RenderException.wrap(typed));
        assertEquals(ErrorCode.INTERRUPTED, RenderException.wrap(new InterruptedException()).code());
        Thread.interrupted(); // wrap re-asserts the interrupt flag; clear it for the next test
    }
}
