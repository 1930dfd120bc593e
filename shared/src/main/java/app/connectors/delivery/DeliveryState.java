package app.connectors.delivery;

import java.util.Locale;

/**
 * Where a delivery stands: the states of the delivery record, which {@link DeliveryStateMachine}
 * moves between (docs/delivery-state-machine.md draws them).
 *
 * <p>Each state names what holds the way forward while the record is in it: nothing is ever
 * left in a state from which no message, lease or reconciler pass can move it.
 */
public enum DeliveryState {
    /**
     * Waiting for its next attempt, due at the record's {@code dueAt}. Its job waits on
     * DeliveriesQueue for that moment; the reconciler puts a job back if none came by
     * {@code dueAt} plus a grace period.
     */
    PENDING,
    /**
     * A worker holds the record's lease and is attempting it now. The message that carries the
     * attempt (the event on EventsQueue for a first attempt, the job on DeliveriesQueue otherwise)
     * comes back if the worker dies, and the next claim takes over once the lease has run out.
     */
    SENDING,
    /** The destination answered 2xx. Final. */
    SUCCEEDED,
    /** Will not be retried: a 4xx other than 408/429, a refused destination, a transformation error. */
    FAILED,
    /** Not sent on purpose: the transformation set {@code cancel}, or the connector was disabled or deleted. */
    CANCELLED,
    /** Every attempt of its series failed; its job is on the dead-letter queue (sent there before this state was written). */
    DEAD;

    /** The name stored and shown by the API. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** No attempt will follow unless someone asks (a manual retry or a redrive starts a new series). */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == DEAD;
    }

    /** A finished state a manual retry or a redrive may start again (a success is never sent twice on purpose). */
    public boolean restartable() {
        return this == FAILED || this == CANCELLED || this == DEAD;
    }

    /**
     * The status the API shows: a record being sent is still pending to its owner, and the API's
     * five statuses stay what they were.
     */
    public String apiStatus() {
        return this == SENDING ? PENDING.id() : id();
    }
}
