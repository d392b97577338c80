/**
 * Storage behind one interface: {@link dev.hfr.storage.LocalStorage} for files, {@link dev.hfr.storage.S3Storage}
 * for {@code s3://} objects, and {@link dev.hfr.storage.RoutingStorage}, which picks one by URI scheme and refuses
 * S3 URIs outside the render bucket. Both implementations have the same semantics and errors: a missing
 * object is {@link dev.hfr.storage.StorageNotFoundException}, any other failure {@code STORAGE_ERROR}.
 */
package dev.hfr.storage;
