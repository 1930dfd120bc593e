package app.connectors.delivery;

import app.connectors.event.Event;
import java.time.Instant;
import java.util.List;

/**
 * The delivery log's entry for one (event, connector): status, attempts, and the event itself so
 * that a retry can be sent again. Kept for 30 days (DynamoDB TTL).
 *
 * @param series            increases when a dead or finished delivery is sent again (redrive or manual
 *                          retry); the retry schedule starts over with each series
 * @param attemptsInSeries  attempts made in the current series
 * @param nextAttemptAt     when a pending delivery's next attempt is due, or null
 * @param reservedSlot      the destination's send slot this delivery reserved before it went back to
 *                          the queue for pacing, or null; the job uses it when it returns instead of
 *                          reserving another (which would put it behind every later reservation)
 * @param attempts          the most recent attempts, oldest first (bounded)
 */
public record DeliveryRecord(String connectorId, String deliveryId, String userId, String eventId, String eventType,
                             DeliveryStatus status, int series, int attemptsInSeries, List<Attempt> attempts,
                             Instant nextAttemptAt, Instant reservedSlot, Instant createdAt, Instant updatedAt, Event event) {

    /** The log keeps this many attempts; older ones are dropped (the count stays in attemptsInSeries). */
    public static final int MAX_ATTEMPTS_KEPT = 20;

    public DeliveryRecord {
        attempts = List.copyOf(attempts.size() > MAX_ATTEMPTS_KEPT
                ? attempts.subList(attempts.size() - MAX_ATTEMPTS_KEPT, attempts.size()) : attempts);
    }

    /** The record after an attempt; a slot it had reserved is used up. */
    public DeliveryRecord withAttempt(Attempt attempt, DeliveryStatus newStatus, Instant next, Instant now) {
        List<Attempt> all = new java.util.ArrayList<>(attempts);
        all.add(attempt);
        return new DeliveryRecord(connectorId, deliveryId, userId, eventId, eventType, newStatus, series, attempt.number(), all,
                next, null, createdAt, now, event);
    }

    /** The record waiting, pending, for the send slot it reserved at {@code slot}. */
    public DeliveryRecord waitingForSlot(Instant slot, Instant now) {
        return new DeliveryRecord(connectorId, deliveryId, userId, eventId, eventType, DeliveryStatus.PENDING, series,
                attemptsInSeries, attempts, slot, slot, createdAt, now, event);
    }

    /** The record at the start of a new series: the retry schedule starts over. */
    public DeliveryRecord nextSeries(Instant now) {
        return new DeliveryRecord(connectorId, deliveryId, userId, eventId, eventType, DeliveryStatus.PENDING, series + 1, 0,
                attempts, null, null, createdAt, now, event);
    }
}
