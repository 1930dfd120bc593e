package app.connectors.transform;

/** Why a transformation did not produce a webhook. Stable names: they appear in API responses and delivery logs. */
public enum FailureKind {
    /** The source does not parse (a malformed regular expression literal included). */
    SYNTAX,
    /** The source is larger than {@link TransformLimits#maxSourceBytes()}. */
    SOURCE_TOO_LARGE,
    /** No top-level {@code function handler(webhook)}. */
    NO_HANDLER,
    /** The run used more than {@link TransformLimits#cpuTime()} of CPU (or 20 times that of wall-clock time). */
    CPU_LIMIT,
    /** The run needed more than {@link TransformLimits#maxMemoryBytes()}. */
    MEMORY_LIMIT,
    /** Recursion deeper than the sandbox's stack. */
    STACK_LIMIT,
    /** The resulting webhook serializes to more than {@link TransformLimits#maxOutputBytes()}. */
    OUTPUT_TOO_LARGE,
    /** The script reached for something the sandbox does not offer (Java, I/O, network, timers). */
    FORBIDDEN,
    /** The script threw. */
    SCRIPT_ERROR,
    /** The handler returned something that is not a sendable webhook. */
    INVALID_RESULT
}
