/**
 * The SQS mode on AWS Lambda: one handler per queue (render requests, chunks, assemble), each running
 * {@code SqsLambdaBatch} for its step. The step functions (functions/*) do not know this mode exists.
 */
package dev.hfr.sqs.lambda;
