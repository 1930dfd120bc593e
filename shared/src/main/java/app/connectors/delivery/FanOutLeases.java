package app.connectors.delivery;

import java.time.Instant;

/**
 * Leases on fan-outs: which dispatcher may make the first attempts of one segment of an event's
 * fan-out (from its start, or from where a continuation picks it up). A dispatcher takes the lease
 * before it attempts anything, for as long as its invocation may run; its first attempts then write
 * no claim of their own (see {@link DeliveryStateMachine#underFanOut}): each delivery's record is
 * written once, when its attempt is settled.
 *
 * <p>Taking is one conditional write. Its answer says what the dispatcher may do:
 * <ul>
 *   <li>{@link Taking.Fresh}: nobody held it before, so none of the segment's deliveries was attempted:
 *   make their first attempts here;</li>
 *   <li>{@link Taking.TakenOver}: a holder's lease ran out (it died, or could not settle every
 *   attempt): some deliveries may have been attempted, and a send may even have been made without its
 *   record, so each delivery becomes a job on DeliveriesQueue, which claims its record first;</li>
 *   <li>{@link Taking.Busy}: another dispatcher holds it (a copy of the event's message, or the same
 *   event published twice): leave the message; it comes back after its visibility timeout, which
 *   is longer than any lease.</li>
 * </ul>
 *
 * <pre>{@code
 * switch (leases.take(event.id(), from, owner, now, deadline)) { ... }
 * }</pre>
 */
public interface FanOutLeases {

    /**
     * How long a lease's item is kept after the lease, and after a record of its event was written
     * by a restart: longer than any record of the event lives without another restart. A record is
     * kept {@link DynamoDbDeliveryStore#RETENTION} after its last write, and without a restart its
     * last write comes within a series of attempts (which, Retry-After waits included, ends within
     * days: a week is allowed) or, for a job SQS dead-lettered unchanged, when it is redriven
     * (within {@link DeliveryTimings#DEAD_LETTER_RETENTION} of its queueing). While the item exists
     * the event's start is never taken {@link Taking.Fresh} again, so a republished event never
     * makes first attempts over records that still say what became of them.
     */
    java.time.Duration KEPT_AFTER_WRITE = DynamoDbDeliveryStore.RETENTION.plusDays(7).plus(DeliveryTimings.DEAD_LETTER_RETENTION);

    /** A dispatcher's lease on a fan-out segment, until the end of its invocation. */
    record Lease(String eventId, String segment, String owner, Instant until) {
    }

    /** What taking a lease came to. */
    sealed interface Taking {
        /** Nobody held it before: none of the segment's deliveries was attempted. */
        record Fresh(Lease lease) implements Taking {
        }

        /** A former holder's lease ran out: its attempts may have been made in part. */
        record TakenOver(Lease lease) implements Taking {
        }

        /** Another dispatcher holds it until {@code until}. */
        record Busy(Instant until) implements Taking {
        }
    }

    /**
     * Takes the lease on the segment of {@code eventId}'s fan-out that starts at {@code from}, for
     * {@code owner} until {@code until}, in one conditional write.
     */
    Taking take(String eventId, FanOut.Position from, String owner, Instant now, Instant until);

    /**
     * Keeps the item of the start of {@code eventId}'s fan-out for {@link #KEPT_AFTER_WRITE} from
     * {@code now}, creating it as a run-out lease if it is gone: called before a restart (a manual
     * retry, a redrive) writes a record of the event, which then lives that much longer. A lease
     * held now is left as it is.
     */
    void retain(String eventId, Instant now);

    /**
     * Whether a dispatcher that took a segment's lease makes the segment's first attempts in place,
     * under the lease and without claims: only at the start of a fan-out nobody took before. A
     * first attempt in place reads no record before it sends, so it is safe only where no other
     * pass over the same deliveries can have been made or be under way, and only the start is such
     * a place. A continuation's segment is named by where its dispatcher's time ran out, so another
     * pass over the event (a copy taken over, the event published again) makes segments of other
     * names over the same deliveries, and a "Fresh" one among them would send again what was sent;
     * its continuation also meets again, in the wildcard query, a connector subscribed to the
     * event's type and to "*" whose first attempt the pass before made. A continuation's deliveries
     * therefore go as jobs, each claiming its record first.
     */
    static boolean attemptsInPlace(Taking taking, FanOut.Position from) {
        return taking instanceof Taking.Fresh && from.equals(FanOut.Position.START);
    }

    /** The segment's name: where in the subscriptions it starts. */
    static String segment(FanOut.Position from) {
        if (from.afterSubscriber() == null) {
            return from.wildcard() ? "wildcard" : "start";
        }
        return (from.wildcard() ? "wildcard after " : "after ") + from.afterSubscriber();
    }

    /**
     * The transition, pure: given the lease as stored (its holder and end, or null when there is
     * none), what taking it for {@code owner} at {@code now} comes to. A store applies it as one
     * conditional write whose condition is "none, or run out".
     *
     * @param storedOwner who held it, or null when no lease was ever taken
     * @param storedUntil until when
     */
    static Taking judge(String storedOwner, Instant storedUntil, String eventId, FanOut.Position from, String owner,
                        Instant now, Instant until) {
        Lease lease = new Lease(eventId, segment(from), owner, until);
        if (storedOwner == null) {
            return new Taking.Fresh(lease);
        }
        if (storedUntil.isBefore(now)) {
            return new Taking.TakenOver(lease);
        }
        return new Taking.Busy(storedUntil);
    }
}
