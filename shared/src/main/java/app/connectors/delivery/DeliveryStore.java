package app.connectors.delivery;

import app.connectors.connector.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Delivery records and the per-destination state the deliverer shares across execution
 * environments (pacing slots, failure streaks).
 */
public interface DeliveryStore {

    Optional<DeliveryRecord> find(String connectorId, String deliveryId);

    /**
     * Takes a short lease on the job's record (creating it, pending, if new), so that two copies of
     * one SQS message are never sent at once. Empty when another worker holds the lease.
     */
    Optional<Lease> claim(DeliveryJob job, Instant now, Duration leaseTime);

    /** Writes the record and releases the lease; false when the lease was lost meanwhile. */
    boolean release(Lease lease, DeliveryRecord updated);

    /** The connector's deliveries, newest first. */
    Page<DeliveryRecord> list(String connectorId, int limit, String cursor);

    /**
     * Reserves the connector's next send slot, at most one per {@code interval}: how long to wait
     * before using it (zero when free now), and whether a failure streak is recorded, so that a
     * success clears the streak only when there is one.
     */
    Slot reserveSlot(String connectorId, Duration interval, Instant now);

    /** Holds every send to this connector until {@code until} (after a 429). */
    void pauseUntil(String connectorId, Instant until);

    /** Notes a failed attempt; returns since when the destination has been failing without a success. */
    Instant failingSince(String connectorId, Instant now);

    /** Notes a success: the failure streak ends. */
    void clearFailures(String connectorId);

    /**
     * A reserved send slot.
     *
     * @param delay   how long until the slot; zero when it is free now
     * @param failing whether the destination had a failure streak when the slot was reserved
     */
    record Slot(Duration delay, boolean failing) {
    }

    /** A claimed record and the token that proves the claim. */
    record Lease(DeliveryRecord record, String owner) {
    }
}
