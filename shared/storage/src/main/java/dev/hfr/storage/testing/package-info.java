/**
 * Test support shipped in the main jar so every module's tests can use it: {@link dev.hfr.storage.testing.LocalStack}
 * finds or starts the LocalStack of {@code scripts/localstack.sh} and hands out SDK clients for it. Not for
 * production code.
 */
package dev.hfr.storage.testing;
