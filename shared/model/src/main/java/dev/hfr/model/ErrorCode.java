package dev.hfr.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every stable error code the renderer reports, with whether a retry can help.
 *
 * <p>This enum is THE retry table: the Step Functions definition, the SQS consumers and the local
 * chunk scheduler are generated from or checked against {@link #nonRetryableNames()}. Names follow
 * HyperFrames where one exists so a user's alarms and Catch rules keep working.
 */
public enum ErrorCode {
    // --- input problems: never retried ---
    INVALID_CONFIG(false, 2, "the render config breaks a validation rule"),
    INVALID_EVENT(false, 2, "a step event is missing a field or has a malformed one"),
    PROJECT_NOT_FOUND(false, 2, "the project archive or directory does not exist"),
    PROJECT_ARCHIVE_INVALID(false, 2, "the project archive is unsafe or malformed"),
    ENTRY_FILE_NOT_FOUND(false, 2, "the composition entry file is missing from the project"),
    COMPOSITION_INVALID(false, 2, "the composition breaks the HyperFrames authoring contract"),
    COMPOSITION_ZERO_DURATION(false, 2, "the composition has no positive, finite duration"),
    COMPOSITION_TOO_LONG(false, 2, "the composition is longer than the configured limit"),
    TIMELINE_NOT_REGISTERED(false, 2, "a composition never registered its timeline in window.__timelines"),
    ASSET_UNAVAILABLE(false, 2, "a script, style or media URL could not be resolved offline or online"),
    FONT_FETCH_FAILED(false, 2, "a web font could not be resolved"),
    VIDEO_SOURCE_UNRENDERABLE(false, 2, "a <video> source cannot be decoded"),
    INVALID_VIDEO_METADATA(false, 2, "a video's metadata is missing or inconsistent"),
    FORMAT_NOT_SUPPORTED_IN_DISTRIBUTED(false, 2, "the format or codec combination cannot be rendered in chunks"),
    S3_URI_NOT_ALLOWED(false, 2, "a URI points outside the configured render bucket"),
    OUTPUT_PATH_UNSAFE(false, 2, "the output path would overwrite or delete files hf did not create"),
    COMPOSITION_SCRIPT_TIMEOUT(false, 2, "a composition script ran past its deadline (a runaway loop)"),
    MEDIA_NOT_ALLOWED(false, 2, "a media file is a playlist or names a source outside the project"),
    // --- plan integrity: never retried, re-plan instead ---
    PLAN_HASH_MISMATCH(false, 3, "the plan on storage differs from the plan the worker was given"),
    PLAN_ARTIFACT_DIGEST_MISMATCH(false, 3, "a downloaded plan artifact does not match its sha256"),
    PLAN_PROTOCOL_UNSUPPORTED(false, 3, "the plan was written by an incompatible protocol version"),
    PLAN_TOO_LARGE(false, 3, "the plan is larger than the configured ceiling, or has zero chunks"),
    MISSING_PLAN_ARTIFACT(false, 3, "a plan artifact the step needs is missing"),
    CHUNK_INDEX_OUT_OF_RANGE(false, 3, "the chunk index is outside the plan's chunk list"),
    CHUNKS_INCOMPLETE(false, 3, "assemble was given a chunk list that does not match the plan"),
    CHUNK_DIGEST_MISMATCH(false, 3, "a chunk assemble downloaded differs from the one its render-chunk step reported"),
    // --- worker environment: never retried on the same worker image ---
    FFMPEG_VERSION_MISMATCH(false, 3, "the worker's ffmpeg differs from the planner's"),
    BROWSER_GPU_NOT_SOFTWARE(false, 3, "the browser uses hardware GL, which is not deterministic"),
    BROWSER_UNAVAILABLE(false, 3, "the Chromium executable cannot be found or started"),
    FFMPEG_UNAVAILABLE(false, 3, "the ffmpeg executable cannot be found"),
    INSUFFICIENT_DISK(false, 3, "the worker has not enough free disk for the project or its outputs"),
    PROGRAMMING_ERROR(false, 3, "a bug in hfr: an argument or state check failed, so a retry cannot help"),
    // --- transient: retried with backoff ---
    BROWSER_CRASHED(true, 3, "the browser died or stopped answering"),
    CAPTURE_FAILED(true, 3, "a frame could not be captured"),
    ENCODE_FAILED(true, 3, "ffmpeg failed while encoding"),
    VIDEO_EXTRACTION_FAILED(true, 3, "ffmpeg failed while extracting video frames"),
    AUDIO_MIX_FAILED(true, 3, "ffmpeg failed while mixing audio"),
    ASSEMBLE_FAILED(true, 3, "ffmpeg failed while concatenating chunks"),
    STORAGE_ERROR(true, 3, "reading or writing storage failed"),
    TIMEOUT(true, 3, "a step took longer than allowed"),
    INTERNAL_ERROR(true, 3, "an unexpected error"),
    // --- control flow ---
    RENDER_TIMEOUT(false, 3, "the render ran past its deadline (RENDER_TIMEOUT_SECONDS after its plan started)"),
    INTERRUPTED(false, 130, "the render was cancelled");

    private final boolean retryable;
    private final int cliExitCode;
    private final String meaning;

    ErrorCode(boolean retryable, int cliExitCode, String meaning) {
        this.retryable = retryable;
        this.cliExitCode = cliExitCode;
        this.meaning = meaning;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Exit code of the {@code hf} command line: 2 bad input, 3 render failure, 130 interrupted. */
    public int cliExitCode() {
        return cliExitCode;
    }

    public String meaning() {
        return meaning;
    }

    /**
     * The anchor of this code's entry in {@link #DOCS_FILE}: the name in lower case with hyphens
     * ({@code ASSET_UNAVAILABLE} is {@code asset-unavailable}).
     */
    public String docsAnchor() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Where a user reads what this code means and what to do: {@code see docs/errors.md#asset-unavailable}. */
    public String docsPointer() {
        return "see " + DOCS_FILE + "#" + docsAnchor();
    }

    /**
     * {@code message} as a user reads it: ending with {@link #docsPointer()}. The one place the pointer is
     * added (the CLI's error output and the step failure log use it), so throw sites never repeat it.
     */
    public String withDocsPointer(String message) {
        String m = message == null || message.isBlank() ? meaning() : message.strip();
        return m + " (" + docsPointer() + ")";
    }

    /** The document with one entry per code; {@code ErrorsDocTest} keeps it in step with this enum. */
    public static final String DOCS_FILE = "docs/errors.md";

    /** The error names a Retry rule must never retry, in declaration order. */
    public static List<String> nonRetryableNames() {
        return Arrays.stream(values()).filter(c -> !c.retryable).map(Enum::name).toList();
    }

    public static List<String> retryableNames() {
        return Arrays.stream(values()).filter(c -> c.retryable).map(Enum::name).toList();
    }

    /** Looks a code up by name; unknown names (e.g. Lambda's own errors) map to INTERNAL_ERROR. */
    public static ErrorCode fromName(String name) {
        if (name == null) {
            return INTERNAL_ERROR;
        }
        for (ErrorCode c : values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return INTERNAL_ERROR;
    }
}
