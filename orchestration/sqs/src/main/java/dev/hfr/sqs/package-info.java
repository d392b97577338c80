/**
 * SQS mode: renders through three queues (render requests, chunks, assemble) for accounts without Step
 * Functions, with exactly-once assembly built from conditional writes on storage.
 *
 * <p>Public API: {@link dev.hfr.sqs.SqsLambdaBatch} (what the Lambda queue handlers of {@code dev.hfr.sqs.lambda} call),
 * {@link dev.hfr.sqs.QueuePoller} (the same consumers in a plain JVM), {@link dev.hfr.sqs.RenderRequests}
 * ({@code hf submit}), {@link dev.hfr.sqs.ProgressReader} and {@link dev.hfr.sqs.RenderStatus}
 * ({@code hf progress}), {@link dev.hfr.sqs.DlqConsumer}. The protocol is described in docs/sqs.md.
 */
package dev.hfr.sqs;
