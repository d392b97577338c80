package dev.hfr.model;

import io.micronaut.serde.annotation.Serdeable;

/** One broken validation rule: which field, the value found, and what was expected. */
@Serdeable
public record ConfigViolation(String field, String value, String expected) {
    @Override
    public String toString() {
        return field + ": got " + value + ", expected " + expected;
    }
}
