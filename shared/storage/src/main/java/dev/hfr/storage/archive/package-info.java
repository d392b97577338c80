/**
 * Project archives: safe extraction of a user's {@code .tar.gz} (no escapes, no devices, bounded size, never
 * half-extracted), deterministic packing, and {@link dev.hfr.storage.archive.ProjectArchive#materialize} which
 * turns a PROJECT URI (directory, local or S3 archive) into a local directory with its entry file checked.
 */
package dev.hfr.storage.archive;
