/**
 * Internals of the SQS mode: the message records, the status store (versioned conditional writes),
 * claims (conditional-create markers that remember who took them), visibility heartbeats and queue
 * attribute look-ups. Nothing here is API.
 */
package dev.hfr.sqs.internal;
