package app.connectors.local;

/** A caller's mistake on the command line: printed as one line, without a stack trace; exit code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
