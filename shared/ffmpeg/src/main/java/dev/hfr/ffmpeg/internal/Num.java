package dev.hfr.ffmpeg.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Formats numbers for ffmpeg arguments: plain decimal, no exponent, no locale, no trailing zeros. */
public final class Num {
    private Num() {
    }

    public static String fmt(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        BigDecimal d = BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        String s = d.toPlainString();
        return "-0".equals(s) ? "0" : s;
    }
}
