package app.connectors.transform;

/**
 * Ends a run from inside the interpreter when a limit is crossed or the script reaches for
 * something the sandbox refuses.
 *
 * <p>An {@link Error} on purpose: Rhino lets scripts catch {@code RuntimeException}s thrown by host
 * code and runs {@code finally} blocks for them, so a script could swallow a limit and keep
 * going. Errors unwind the interpreter without running any script code.
 */
final class SandboxViolation extends Error {

    private static final long serialVersionUID = 1L;

    private final FailureKind kind;

    SandboxViolation(FailureKind kind, String message) {
        // No stack trace: the violation is expected, and filling one in on every limit costs time.
        super(message, null, false, false);
        this.kind = kind;
    }

    FailureKind kind() {
        return kind;
    }
}
