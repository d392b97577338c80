/**
 * Lambda plumbing shared by the plan, render-chunk and assemble functions: the stream handler base that
 * hands raw event JSON to {@code StepDispatcher}, the mapping of every {@code ErrorCode} to an exception
 * whose class name is the code (so Step Functions Retry/Catch rules can match it), the one-time cold start
 * (Chromium unpacked from the {@code @sparticuz/chromium} layer, ffmpeg from the ffmpeg layer, the
 * Micronaut context and the Engine) and the SnapStart hook.
 *
 * <p>Nothing here is used outside {@code functions/*}: the engine stays free of AWS Lambda types.
 */
package dev.hfr.function.runtime;
