package app.connectors.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery log's entry for one (event, connector), and the source of truth for where its
 * delivery stands. Only {@link DeliveryStateMachine} makes new records from old ones. The event
 * itself is not here (it rides in the job, and in the event store when a delivery may need it
 * again), which keeps a record within one DynamoDB write unit on the healthy path.
 *
 * @param state        where it stands
 * @param series       the ordinal of the current series of attempts, from 1; a manual retry or a
 *                     redrive of a finished delivery starts the next
 * @param attemptCount attempts recorded in the current series
 * @param dueAt        when a {@link DeliveryState#PENDING} delivery's next attempt is due; null in every other state
 * @param lease        who is attempting a {@link DeliveryState#SENDING} delivery, and until when; null in every other state
 * @param attempts     the most recent attempts of every series, oldest first, bounded (see {@link #MAX_ATTEMPTS_KEPT})
 * @param matchedAlternative which alternative of the connector's filter (its top-level {@code $or})
 *                     let the event through, e.g. {@code $or[1]}, as the fan-out that created the
 *                     record found; null when the filter has no top-level {@code $or}
 */
public record DeliveryRecord(String connectorId, String deliveryId, String userId, String eventId, String eventType,
                             DeliveryState state, int series, int attemptCount, Instant dueAt, Lease lease,
                             List<Attempt> attempts, Instant createdAt, Instant updatedAt, String matchedAlternative) {

    /** The log keeps this many attempts; older ones are dropped (the count stays in attemptCount). */
    public static final int MAX_ATTEMPTS_KEPT = 20;
    /** Only the newest attempts keep their console output; older ones keep their error. */
    public static final int ATTEMPTS_WITH_CONSOLE = 3;

    /**
     * A worker's right to attempt a delivery until {@code until}, and where that right is written,
     * which decides the guard of the write that settles the attempt.
     */
    public record Lease(String owner, Instant until, Keeper keeper) {

        /** A lease kept in the record itself (a claim). */
        public Lease(String owner, Instant until) {
            this(owner, until, Keeper.RECORD);
        }
    }

    /** Where a lease is written. */
    public enum Keeper {
        /** In the record, which says SENDING under it: the settling write's guard is "still SENDING under this owner". */
        RECORD,
        /**
         * In the fan-out's lease ({@link FanOutLeases}): a first attempt made by the dispatcher that
         * took it, with no record stored until the attempt is settled; the settling write's guard is
         * "no record yet". Never stored.
         */
        FAN_OUT
    }

    public DeliveryRecord {
        if ((state == DeliveryState.PENDING) != (dueAt != null)) {
            throw new IllegalArgumentException("dueAt is set exactly when a delivery is pending, not when " + state);
        }
        if ((state == DeliveryState.SENDING) != (lease != null)) {
            throw new IllegalArgumentException("a lease is held exactly when a delivery is sending, not when " + state);
        }
        List<Attempt> kept = new ArrayList<>(attempts.size() > MAX_ATTEMPTS_KEPT
                ? attempts.subList(attempts.size() - MAX_ATTEMPTS_KEPT, attempts.size()) : attempts);
        for (int i = 0; i < kept.size() - ATTEMPTS_WITH_CONSOLE; i++) {
            Attempt a = kept.get(i);
            if (a.console() != null) {
                kept.set(i, new Attempt(a.number(), a.series(), a.at(), a.statusCode(), a.latencyMs(), a.outcome(), a.error(),
                        null, a.connectorVersion()));
            }
        }
        attempts = List.copyOf(kept);
    }

    /** The number the next attempt of the current series takes. */
    public int nextAttemptNumber() {
        return attemptCount + 1;
    }

    /**
     * An upper bound of the record's stored size in bytes (attribute names and values as DynamoDB
     * counts them, the attempts as their JSON): a test holds the worst case far under the 400 KB item limit.
     */
    public int sizeBound() {
        int bytes = 400; // names and fixed-size values of every attribute but the attempts
        for (String text : new String[] {connectorId, deliveryId, userId, eventId, eventType, matchedAlternative}) {
            bytes += text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
        }
        for (Attempt a : attempts) {
            bytes += 160 + chars(a.outcome()) + 6 * chars(a.error()); // JSON escapes at most 6 bytes a char
            if (a.console() != null) {
                for (String line : a.console()) {
                    bytes += 3 + 6 * chars(line);
                }
            }
        }
        return bytes;
    }

    private static int chars(String text) {
        return text == null ? 0 : text.length();
    }
}
