package dev.hfr.model;

/** Every limit and default of the renderer, in one place. */
public final class Limits {
    private Limits() {
    }

    /** Any integer frame rate in this range (HyperFrames' local renderer accepts every integer rate). */
    public static final int MIN_FPS = 1;
    public static final int MAX_FPS = 120;
    public static final int MIN_DIMENSION = 16;
    public static final int MAX_DIMENSION = 7680;
    public static final int MIN_CRF = 0;
    public static final int MAX_CRF = 51;
    public static final int MIN_CHUNK_SIZE = 1;
    public static final int MAX_CHUNK_SIZE = 3600;
    /** Auto-sized chunks are never smaller than this: browser start-up would dominate. */
    public static final int MIN_AUTO_CHUNK_SIZE = 10;
    public static final int MIN_PARALLEL_CHUNKS = 1;
    public static final int MAX_PARALLEL_CHUNKS = 256;
    public static final int DEFAULT_MAX_PARALLEL_CHUNKS = 16;
    public static final String DEFAULT_ENTRY_FILE = "index.html";
    /** Longest composition we accept: 4 hours. */
    public static final double MAX_DURATION_SECONDS = 4 * 3600;
    /** Step Functions input and state limit. */
    public static final int MAX_STATE_BYTES = 256 * 1024;
    public static final int VP9_CPU_USED = 4;
    public static final int AUDIO_SAMPLE_RATE = 48_000;
    public static final String AUDIO_BITRATE = "192k";
    public static final String OPUS_BITRATE = "128k";
    /**
     * Project archive limits (tar bombs). The bytes are an absolute ceiling; the worker's free disk usually
     * binds first (see {@link #DISK_RESERVE_BYTES}).
     */
    public static final long MAX_PROJECT_UNPACKED_BYTES = 4L * 1024 * 1024 * 1024;
    /**
     * Entries of a project archive, and files of a directory project: every project file becomes a plan
     * artifact that each chunk downloads, so this also bounds a plan's artifacts from the project.
     * HyperFrames projects have tens of files.
     */
    public static final int MAX_PROJECT_ENTRIES = 10_000;
    /**
     * Free disk a project may not unpack into: the plan step still needs room for the compiled copy, the
     * browser profile, extracted video frames and the audio mix. Lambda's /tmp is 512 MB to 10 GB, of which
     * the serverless Chromium already takes about 500 MB.
     */
    public static final long DISK_RESERVE_BYTES = 256L * 1024 * 1024;
    /**
     * How many times a project's bytes land on the plan's disk: unpacked, then copied by the compiler.
     * An archive may unpack to at most (free - reserve) / this.
     */
    public static final int PROJECT_DISK_COPIES = 2;
    /**
     * Attempts a step gets when it fails with a retryable code, the same under every orchestrator: the local
     * scheduler (chunks), the SQS mode (the default maxReceiveCount; template.yaml's queues say the same) and the
     * state machine, whose {@code States.ALL} Retry has {@code MaxAttempts} = this - 1 retries after the first
     * attempt (the ASL is static JSON: StateMachineDefinitionTest and SamTemplateTest hold both to this value).
     * Five, as HyperFrames' state machine retries four times.
     */
    public static final int MAX_CHUNK_ATTEMPTS = 5;
}
