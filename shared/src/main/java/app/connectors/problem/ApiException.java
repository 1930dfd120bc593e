package app.connectors.problem;

import java.util.List;

/**
 * A failure the API reports to its caller as RFC 9457 problem JSON. Subclasses fix the status;
 * the message is written for the user (it says what to fix) and is safe to return.
 */
public abstract class ApiException extends RuntimeException {

    private final List<FieldError> errors;

    protected ApiException(String message, List<FieldError> errors) {
        super(message, null, false, false);
        this.errors = List.copyOf(errors);
    }

    public abstract int status();

    /** A short, stable title for the problem type, e.g. "Validation failed". */
    public abstract String title();

    /** The problem type's identifier, e.g. {@code validation}; the response's {@code type} ends with it. */
    public abstract String type();

    public List<FieldError> errors() {
        return errors;
    }
}
