package app.connectors.event;

/**
 * An SQS message body that is not a valid event envelope. The message is a short reason that is
 * safe to log ("missing field subject.title"); it never echoes more than a short excerpt of the
 * input. Checked on purpose: every consumer of the queue must decide to park such a message
 * instead of letting it be retried until it reaches the DLQ.
 *
 * <pre>{@code
 * try {
 *     Event event = EventParser.standard().parse(body);
 * } catch (InvalidEventException e) {
 *     log.warn("parking message {}: {}", messageId, e.getMessage());
 * }
 * }</pre>
 */
public final class InvalidEventException extends Exception {

    public InvalidEventException(String reason) {
        super(reason);
    }

    public InvalidEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
