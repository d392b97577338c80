/**
 * Lambda plumbing shared by the plan, render-chunk and assemble functions: the stream handler base that
 * removes the invocation's envelope ({@link dev.hfr.function.runtime.LambdaEnvelope}) and hands the bare event
 * to {@code StepDispatcher}, the mapping of every {@code ErrorCode} to an exception
 * whose class name is the code (so Step Functions Retry/Catch rules can match it), the one-time cold start
 * (Chromium unpacked from the {@code @sparticuz/chromium} layer, ffmpeg from the ffmpeg layer, the
 * Micronaut context and the Engine) and the SnapStart hook.
 *
 * <p>The engine stays free of AWS Lambda types. Besides {@code functions/*}, two callers use this runtime: the SQS
 * mode's Lambda handlers ({@code dev.hfr.sqs.lambda}: the cold start and error names) and {@code hf}'s step
 * commands (the envelope). It knows none of them.
 */
package dev.hfr.function.runtime;
