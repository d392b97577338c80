package dev.hfr.sqs.internal;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

import java.io.UncheckedIOException;

/** The SQS adapter's view of {@link dev.hfr.model.Json}: bad input is INVALID_EVENT naming what was being read. */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        try {
            return dev.hfr.model.Json.write(value);
        } catch (UncheckedIOException e) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, e.getMessage(), e);
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return dev.hfr.model.Json.bytes(value);
        } catch (UncheckedIOException e) {
            throw new RenderException(ErrorCode.INTERNAL_ERROR, e.getMessage(), e);
        }
    }

    public static <T> T read(String json, Class<T> type, String what) {
        return dev.hfr.model.Json.read(json, type, ErrorCode.INVALID_EVENT, what);
    }

    public static <T> T read(byte[] json, Class<T> type, String what) {
        return dev.hfr.model.Json.read(json, type, ErrorCode.INVALID_EVENT, what);
    }
}
