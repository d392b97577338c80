// One exception class per dev.hfr.model.ErrorCode, named exactly like the code and declared in the unnamed
// package on purpose: the Java Lambda runtime reports throwable.getClass().getName() as errorType, and Step
// Functions matches Retry/Catch "ErrorEquals" against that string, so PLAN_HASH_MISMATCH must be the class's
// full name. See dev.hfr.function.runtime.StepFailure and docs/lambda.md.
//
// Keep in step with ErrorCode (LambdaErrorsTest fails when a code has no class here). To regenerate:
//   for c in $(grep -oE '^    [A-Z0-9_]+\(' shared/model/src/main/java/dev/hfr/model/ErrorCode.java | tr -d ' ('); do
//     echo "final class $c extends StepFailure { $c(RenderException e) { super(ErrorCode.$c, e); } }"; done

import dev.hfr.function.runtime.StepFailure;
import dev.hfr.model.ErrorCode;
import dev.hfr.model.RenderException;

final class INVALID_CONFIG extends StepFailure { INVALID_CONFIG(RenderException e) { super(ErrorCode.INVALID_CONFIG, e); } }
final class INVALID_EVENT extends StepFailure { INVALID_EVENT(RenderException e) { super(ErrorCode.INVALID_EVENT, e); } }
final class PROJECT_NOT_FOUND extends StepFailure { PROJECT_NOT_FOUND(RenderException e) { super(ErrorCode.PROJECT_NOT_FOUND, e); } }
final class PROJECT_ARCHIVE_INVALID extends StepFailure { PROJECT_ARCHIVE_INVALID(RenderException e) { super(ErrorCode.PROJECT_ARCHIVE_INVALID, e); } }
final class ENTRY_FILE_NOT_FOUND extends StepFailure { ENTRY_FILE_NOT_FOUND(RenderException e) { super(ErrorCode.ENTRY_FILE_NOT_FOUND, e); } }
final class COMPOSITION_INVALID extends StepFailure { COMPOSITION_INVALID(RenderException e) { super(ErrorCode.COMPOSITION_INVALID, e); } }
final class COMPOSITION_ZERO_DURATION extends StepFailure { COMPOSITION_ZERO_DURATION(RenderException e) { super(ErrorCode.COMPOSITION_ZERO_DURATION, e); } }
final class COMPOSITION_TOO_LONG extends StepFailure { COMPOSITION_TOO_LONG(RenderException e) { super(ErrorCode.COMPOSITION_TOO_LONG, e); } }
final class TIMELINE_NOT_REGISTERED extends StepFailure { TIMELINE_NOT_REGISTERED(RenderException e) { super(ErrorCode.TIMELINE_NOT_REGISTERED, e); } }
final class ASSET_UNAVAILABLE extends StepFailure { ASSET_UNAVAILABLE(RenderException e) { super(ErrorCode.ASSET_UNAVAILABLE, e); } }
final class FONT_FETCH_FAILED extends StepFailure { FONT_FETCH_FAILED(RenderException e) { super(ErrorCode.FONT_FETCH_FAILED, e); } }
final class VIDEO_SOURCE_UNRENDERABLE extends StepFailure { VIDEO_SOURCE_UNRENDERABLE(RenderException e) { super(ErrorCode.VIDEO_SOURCE_UNRENDERABLE, e); } }
final class INVALID_VIDEO_METADATA extends StepFailure { INVALID_VIDEO_METADATA(RenderException e) { super(ErrorCode.INVALID_VIDEO_METADATA, e); } }
final class FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED extends StepFailure { FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED(RenderException e) { super(ErrorCode.FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED, e); } }
final class S3_URI_NOT_ALLOWED extends StepFailure { S3_URI_NOT_ALLOWED(RenderException e) { super(ErrorCode.S3_URI_NOT_ALLOWED, e); } }
final class PLAN_HASH_MISMATCH extends StepFailure { PLAN_HASH_MISMATCH(RenderException e) { super(ErrorCode.PLAN_HASH_MISMATCH, e); } }
final class PLAN_ARTIFACT_DIGEST_MISMATCH extends StepFailure { PLAN_ARTIFACT_DIGEST_MISMATCH(RenderException e) { super(ErrorCode.PLAN_ARTIFACT_DIGEST_MISMATCH, e); } }
final class PLAN_PROTOCOL_UNSUPPORTED extends StepFailure { PLAN_PROTOCOL_UNSUPPORTED(RenderException e) { super(ErrorCode.PLAN_PROTOCOL_UNSUPPORTED, e); } }
final class PLAN_TOO_LARGE extends StepFailure { PLAN_TOO_LARGE(RenderException e) { super(ErrorCode.PLAN_TOO_LARGE, e); } }
final class MISSING_PLAN_ARTIFACT extends StepFailure { MISSING_PLAN_ARTIFACT(RenderException e) { super(ErrorCode.MISSING_PLAN_ARTIFACT, e); } }
final class CHUNK_INDEX_OUT_OF_RANGE extends StepFailure { CHUNK_INDEX_OUT_OF_RANGE(RenderException e) { super(ErrorCode.CHUNK_INDEX_OUT_OF_RANGE, e); } }
final class CHUNKS_INCOMPLETE extends StepFailure { CHUNKS_INCOMPLETE(RenderException e) { super(ErrorCode.CHUNKS_INCOMPLETE, e); } }
final class FFMPEG_VERSION_MISMATCH extends StepFailure { FFMPEG_VERSION_MISMATCH(RenderException e) { super(ErrorCode.FFMPEG_VERSION_MISMATCH, e); } }
final class BROWSER_GPU_NOT_SOFTWARE extends StepFailure { BROWSER_GPU_NOT_SOFTWARE(RenderException e) { super(ErrorCode.BROWSER_GPU_NOT_SOFTWARE, e); } }
final class BROWSER_UNAVAILABLE extends StepFailure { BROWSER_UNAVAILABLE(RenderException e) { super(ErrorCode.BROWSER_UNAVAILABLE, e); } }
final class FFMPEG_UNAVAILABLE extends StepFailure { FFMPEG_UNAVAILABLE(RenderException e) { super(ErrorCode.FFMPEG_UNAVAILABLE, e); } }
final class BROWSER_CRASHED extends StepFailure { BROWSER_CRASHED(RenderException e) { super(ErrorCode.BROWSER_CRASHED, e); } }
final class CAPTURE_FAILED extends StepFailure { CAPTURE_FAILED(RenderException e) { super(ErrorCode.CAPTURE_FAILED, e); } }
final class ENCODE_FAILED extends StepFailure { ENCODE_FAILED(RenderException e) { super(ErrorCode.ENCODE_FAILED, e); } }
final class VIDEO_EXTRACTION_FAILED extends StepFailure { VIDEO_EXTRACTION_FAILED(RenderException e) { super(ErrorCode.VIDEO_EXTRACTION_FAILED, e); } }
final class AUDIO_MIX_FAILED extends StepFailure { AUDIO_MIX_FAILED(RenderException e) { super(ErrorCode.AUDIO_MIX_FAILED, e); } }
final class ASSEMBLE_FAILED extends StepFailure { ASSEMBLE_FAILED(RenderException e) { super(ErrorCode.ASSEMBLE_FAILED, e); } }
final class STORAGE_ERROR extends StepFailure { STORAGE_ERROR(RenderException e) { super(ErrorCode.STORAGE_ERROR, e); } }
final class TIMEOUT extends StepFailure { TIMEOUT(RenderException e) { super(ErrorCode.TIMEOUT, e); } }
final class INTERNAL_ERROR extends StepFailure { INTERNAL_ERROR(RenderException e) { super(ErrorCode.INTERNAL_ERROR, e); } }
final class RENDER_TIMEOUT extends StepFailure { RENDER_TIMEOUT(RenderException e) { super(ErrorCode.RENDER_TIMEOUT, e); } }
final class INTERRUPTED extends StepFailure { INTERRUPTED(RenderException e) { super(ErrorCode.INTERRUPTED, e); } }
final class OUTPUT_PATH_UNSAFE extends StepFailure { OUTPUT_PATH_UNSAFE(RenderException e) { super(ErrorCode.OUTPUT_PATH_UNSAFE, e); } }
final class COMPOSITION_SCRIPT_TIMEOUT extends StepFailure { COMPOSITION_SCRIPT_TIMEOUT(RenderException e) { super(ErrorCode.COMPOSITION_SCRIPT_TIMEOUT, e); } }
final class MEDIA_NOT_ALLOWED extends StepFailure { MEDIA_NOT_ALLOWED(RenderException e) { super(ErrorCode.MEDIA_NOT_ALLOWED, e); } }
final class INSUFFICIENT_DISK extends StepFailure { INSUFFICIENT_DISK(RenderException e) { super(ErrorCode.INSUFFICIENT_DISK, e); } }
final class PROGRAMMING_ERROR extends StepFailure { PROGRAMMING_ERROR(RenderException e) { super(ErrorCode.PROGRAMMING_ERROR, e); } }
final class CHUNK_DIGEST_MISMATCH extends StepFailure { CHUNK_DIGEST_MISMATCH(RenderException e) { super(ErrorCode.CHUNK_DIGEST_MISMATCH, e); } }
