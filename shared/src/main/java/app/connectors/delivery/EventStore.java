package app.connectors.delivery;

import app.connectors.event.Event;
import java.util.Optional;

/**
 * Events kept for the deliveries that may need them again: a retry whose job was lost (the
 * reconciler puts one back), a manual retry of a failed, cancelled or dead delivery, and a job too
 * big for SQS. A healthy delivery never writes here: its event rides in the message that carries
 * the attempt.
 */
public interface EventStore {

    /** Keeps the event (once: keeping it again is a no-op). */
    void keep(Event event);

    Optional<Event> find(String eventId);
}
