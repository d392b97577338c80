/**
 * Test support in hfr-storage's test-jar (never in a Lambda zip), for every module's tests:
 * {@link dev.hfr.storage.testing.LocalStack} finds or starts the LocalStack of {@code scripts/localstack.sh} and
 * hands out SDK clients for it.
 */
package dev.hfr.storage.testing;
