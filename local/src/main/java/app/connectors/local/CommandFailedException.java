package app.connectors.local;

/**
 * An expected failure that the message explains fully (a port in use, a refused event): printed as
 * one line, without a stack trace; exit code 1.
 */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }

    CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
