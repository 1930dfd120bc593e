package app.connectors.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * What the deliveries to one destination share: the send slots of paced types, a pause a 429 or
 * 503 asked for, and since when every attempt has failed. A destination is one owner's webhook,
 * named by its {@link DestinationKey} (every connector of theirs posting to it shares its state).
 */
public interface DestinationStore {

    /** The destination's pause and failure streak, eventually consistent (a fraction of a read unit). */
    DestinationState read(String destination);

    /** The same, as last written: for a job about to use a slot it waited for, to see a pause set meanwhile. */
    DestinationState readLatest(String destination);

    /**
     * Books the next send slot, {@code spacing} after the one before it: now when the destination
     * is free, else the first free slot if it is less than {@code horizon} away. Never hands out a
     * slot it did not write, never books inside a pause, never books beyond the horizon.
     */
    Booking book(String destination, Duration spacing, Instant now, Duration horizon);

    /** Holds every send to the destination until {@code until} (a 429's or 503's Retry-After); never shortens a pause. */
    void pauseUntil(String destination, Instant until);

    /** Notes a failed attempt; returns since when every attempt has failed. */
    Instant failingSince(String destination, Instant now);

    /** Notes a success: the failure streak ends. */
    void clearFailures(String destination);

    /**
     * The destination's shared state.
     *
     * @param pausedUntil  no send before this, or null
     * @param failingSince every attempt has failed since this, or null
     */
    record DestinationState(Instant pausedUntil, Instant failingSince) {

        public static final DestinationState NONE = new DestinationState(null, null);

        public boolean pausedAt(Instant now) {
            return pausedUntil != null && pausedUntil.isAfter(now);
        }
    }

    /** What a booking came to. */
    sealed interface Booking {
        DestinationState state();

        /** The slot at {@code slot} is this job's. */
        record Booked(Instant slot, DestinationState state) implements Booking {
        }

        /** The destination is paused until {@code state().pausedUntil()}: nothing booked. */
        record Paused(DestinationState state) implements Booking {
        }

        /** Every slot up to the horizon is taken; the first free one is at {@code nextFree}: nothing booked. */
        record Full(Instant nextFree, DestinationState state) implements Booking {
        }
    }
}
