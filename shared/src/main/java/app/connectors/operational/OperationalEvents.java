package app.connectors.operational;

import app.connectors.log.Log;

/**
 * Publishes {@link OperationalEvent}s to where the host platform listens: an SNS topic on AWS
 * ({@link SnsOperationalEvents}), a queue that stands in for it on the local stack
 * ({@link SqsOperationalEvents}). Publishing never fails the work that caused it: a publish that
 * fails is logged at ERROR with the event (ids and scrubbed reason only), so it can be replayed.
 *
 * <pre>{@code
 * events.publish(OperationalEvent.connectorReenabled(userId, connectorId, "slack", clock));
 * }</pre>
 */
public interface OperationalEvents {

    /** Sends the event; implementations throw on failure, {@link #publish} catches and logs. */
    void send(OperationalEvent event);

    default void publish(OperationalEvent event) {
        try {
            send(event);
            Log.info("operational_event.published", "operationalEventId", event.id(), "operationalEventType", event.type(),
                    "connectorId", event.connectorId(), "userId", event.userId());
        } catch (RuntimeException e) {
            Log.error("operational_event.publish_failed", e, "operationalEvent", event.toJson());
        }
    }

    /** For code paths (and tests) that have nowhere to publish. */
    static OperationalEvents none() {
        return event -> {
        };
    }
}
