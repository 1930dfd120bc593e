package app.connectors.transform;

/** Why a transformation did not produce a webhook. Stable names: they appear in API responses and delivery logs. */
public enum FailureKind {
    /** The source does not parse. */
    SYNTAX,
    /** The source is larger than {@link TransformLimits#maxSourceBytes()}. */
    SOURCE_TOO_LARGE,
    /** No top-level {@code function handler(webhook)}. */
    NO_HANDLER,
    /** The run took longer than {@link TransformLimits#cpuTime()}. */
    CPU_LIMIT,
    /** The run allocated more than {@link TransformLimits#maxAllocatedBytes()}. */
    MEMORY_LIMIT,
    /** Recursion deeper than {@link TransformLimits#maxStackDepth()} (or the Java stack ran out). */
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
