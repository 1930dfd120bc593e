package app.connectors.delivery;

import app.connectors.connector.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Delivery records. Every write is one transition of {@link DeliveryStateMachine}, made as a single
 * conditional write whose condition is the transition's guard.
 */
public interface DeliveryStore {

    Optional<DeliveryRecord> find(String connectorId, String deliveryId);

    /**
     * Claims the job's record for {@code owner} (creating it when there is none), as
     * {@link DeliveryStateMachine#claim} says, in one conditional write; returns what the claim came to.
     * A job restarting a series first {@linkplain FanOutLeases#retain retains} its event's fan-out
     * lease, since the record it revives will outlive the lease otherwise.
     */
    DeliveryStateMachine.Claim claim(DeliveryJob job, String eventType, String owner, Instant now, Duration leaseTime);

    /**
     * Writes what {@code owner}'s attempt came to, as {@link DeliveryStateMachine#settle} says, in one
     * write guarded by the lease; returns the record written.
     *
     * @throws DeliveryStateMachine.LeaseLost when the lease is no longer {@code owner}'s
     */
    DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome, Instant now)
            throws DeliveryStateMachine.LeaseLost;

    /** The connector's deliveries, newest event first. */
    Page<DeliveryRecord> list(String connectorId, int limit, String cursor);

    /**
     * Every pending record whose next attempt was due before {@code dueBefore}: the reconciler's
     * question (a job should have come for each by then). Read from an eventually consistent index,
     * so a record just taken may still show. Stops (reads no further page) once {@code action}
     * answers false.
     */
    void forEachOverdue(Instant dueBefore, Predicate<Overdue> action);

    /**
     * Makes an overdue record due {@code now}, as {@link DeliveryStateMachine#requeue} says, in one
     * conditional write: the reconciler, having put its job back, does not find it again for a grace
     * period.
     *
     * @return false when the record is no longer pending at the due time the index showed (it moved on)
     */
    boolean requeue(Overdue overdue, Instant now);

    /** A pending record the reconciler found overdue: what it needs to put a job back. */
    record Overdue(String connectorId, String deliveryId, String userId, String eventId, Instant dueAt) {
    }
}
