package dev.hfr.testsupport;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class or method that reads {@code ../shared/fixtures} (HyperFrames' regression corpus and other
 * development data). Where it is absent (a user's clone) the test is not run and one line on stderr says so; where
 * it is present (CI, the team) it runs like any other test.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SharedFixturesCondition.class)
public @interface RequiresSharedFixtures {
}
