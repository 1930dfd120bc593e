package app.connectors.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one transition function of a delivery record (docs/delivery-state-machine.md draws it). Pure:
 * given the record as stored (or none) and what a worker asks or learnt, it says which record to
 * write, or why nothing may be written. A store performs each transition as one conditional write
 * whose condition is the transition's guard, so two workers can never both take a record, and a
 * worker whose lease was taken over can never overwrite what the new holder wrote.
 *
 * <pre>
 * (none) ──first attempt under the fan-out's lease, settled──▶ SUCCEEDED / PENDING / FAILED / CANCELLED / DEAD
 * (none) ──claim──▶ SENDING ──succeeded──▶ SUCCEEDED
 * PENDING ──claim, when due──▶ SENDING ──retry──▶ PENDING
 * SENDING ──claim, lease run out──▶ SENDING  (the holder died)
 * SENDING ──failed / cancelled / dead──▶ FAILED / CANCELLED / DEAD
 * SENDING ──deferred (no attempt)──▶ PENDING
 * FAILED / CANCELLED / DEAD ──claim restarting its series──▶ SENDING (next series)
 * PENDING, overdue ──requeued by the reconciler──▶ PENDING (due now)
 * </pre>
 */
public final class DeliveryStateMachine {

    /**
     * A job may run this much before its record's due time: SQS returns a deferred message at
     * whole seconds, and a job sent back for a later attempt must not be put off again for less.
     */
    public static final Duration DUE_TOLERANCE = Duration.ofSeconds(1);

    private DeliveryStateMachine() {
    }

    // ------------------------------------------------------------------ claim

    /** What a claim came to. */
    public sealed interface Claim {
        /** The record is this worker's to attempt now: the record to write (state SENDING). */
        record Taken(DeliveryRecord record) implements Claim {
        }

        /** Pending, and its next attempt is not due until {@code dueAt}. */
        record NotDue(Instant dueAt) implements Claim {
        }

        /** Another worker holds the lease until {@code until}. */
        record Busy(Instant until) implements Claim {
        }

        /** Finished, and this job does not restart it: nothing to do. */
        record Finished(DeliveryState state) implements Claim {
        }
    }

    /**
     * A worker running {@code job} asks to attempt its delivery now.
     *
     * @param current the record as stored, or null when there is none (a first attempt, or a job
     *                whose record is gone: it is created again)
     */
    public static Claim claim(DeliveryRecord current, DeliveryJob job, String eventType, String owner, Instant now,
                              Duration leaseTime) {
        DeliveryRecord.Lease lease = new DeliveryRecord.Lease(owner, now.plus(leaseTime));
        if (current == null) {
            int series = job.restarts() == null ? 1 : job.restarts() + 1;
            return new Claim.Taken(new DeliveryRecord(job.connectorId(), job.deliveryId(), job.userId(), job.eventId(), eventType,
                    DeliveryState.SENDING, series, 0, null, lease, List.of(), now, now, job.matchedAlternative()));
        }
        return switch (current.state()) {
            case PENDING -> current.dueAt().isAfter(now.plus(DUE_TOLERANCE))
                    ? new Claim.NotDue(current.dueAt())
                    : new Claim.Taken(sending(current, current.series(), current.attemptCount(), lease, now));
            case SENDING -> current.lease().until().isBefore(now)
                    ? new Claim.Taken(sending(current, current.series(), current.attemptCount(), lease, now))
                    : new Claim.Busy(current.lease().until());
            case SUCCEEDED -> new Claim.Finished(current.state());
            case FAILED, CANCELLED, DEAD -> restarts(job, current)
                    ? new Claim.Taken(sending(current, current.series() + 1, 0, lease, now))
                    : new Claim.Finished(current.state());
        };
    }

    /**
     * A dispatcher that took the fan-out's lease {@code fanOut} (nobody had attempted any of its
     * deliveries) makes {@code job}'s first attempt under it: the record it would have claimed,
     * SENDING, held in memory only. Nothing is written until the attempt is settled, whose write
     * creates the record on condition that there is none ({@link #mayWrite}): one write for a
     * healthy delivery instead of a claim and a settle.
     */
    public static DeliveryRecord underFanOut(DeliveryJob job, String eventType, FanOutLeases.Lease fanOut, Instant now) {
        if (job.restarts() != null) {
            throw new IllegalArgumentException("only a first attempt runs under its fan-out's lease, not a restart of "
                    + job.deliveryId());
        }
        DeliveryRecord.Lease lease = new DeliveryRecord.Lease(fanOut.owner(), fanOut.until(), DeliveryRecord.Keeper.FAN_OUT);
        return new DeliveryRecord(job.connectorId(), job.deliveryId(), job.userId(), job.eventId(), eventType,
                DeliveryState.SENDING, 1, 0, null, lease, List.of(), now, now, job.matchedAlternative());
    }

    /**
     * The guard of a settling write: whether the holder of {@code held} may write over {@code stored}
     * (the record as stored, or null). A lease kept in the record holds while the record is still
     * SENDING under its owner; a fan-out's lease holds while no record exists (any record means a
     * job took the delivery over).
     */
    public static boolean mayWrite(DeliveryRecord stored, DeliveryRecord.Lease held) {
        return switch (held.keeper()) {
            case RECORD -> stored != null && stored.state() == DeliveryState.SENDING && stored.lease().owner().equals(held.owner());
            case FAN_OUT -> stored == null;
        };
    }

    /** Whether {@code job} restarts {@code record}: it asks for the series after the record's, and the record is restartable. */
    public static boolean restarts(DeliveryJob job, DeliveryRecord record) {
        return job.restarts() != null && job.restarts() == record.series() && record.state().restartable();
    }

    private static DeliveryRecord sending(DeliveryRecord r, int series, int attemptCount, DeliveryRecord.Lease lease,
                                          Instant now) {
        return new DeliveryRecord(r.connectorId(), r.deliveryId(), r.userId(), r.eventId(), r.eventType(), DeliveryState.SENDING,
                series, attemptCount, null, lease, r.attempts(), r.createdAt(), now, r.matchedAlternative());
    }

    // ------------------------------------------------------------------ what an attempt came to

    /** What the lease holder learnt; each is written by {@link #settle}. */
    public sealed interface Outcome {
        /** The destination answered 2xx. */
        record Succeeded(Attempt attempt) implements Outcome {
        }

        /** The attempt failed in a way worth retrying; the next attempt is due at {@code dueAt}. */
        record Retry(Attempt attempt, Instant dueAt) implements Outcome {
        }

        /** The attempt failed for good. */
        record Failed(Attempt attempt) implements Outcome {
        }

        /** Not sent, on purpose. */
        record Cancelled(Attempt attempt) implements Outcome {
        }

        /** The series' last attempt failed; its job is already on the dead-letter queue. */
        record Dead(Attempt attempt) implements Outcome {
        }

        /** Nothing was sent (the destination is paused, or its slot moved away): pending again until {@code dueAt}. */
        record Deferred(Instant dueAt) implements Outcome {
        }
    }

    /** The holder lost its lease (it ran out and another worker took the record): nothing may be written. */
    public static final class LeaseLost extends Exception {
        public LeaseLost(String deliveryId) {
            super("the lease on " + deliveryId + " was taken over", null, false, false);
        }
    }

    /**
     * The record the lease holder {@code owner} writes for {@code outcome}; the write's guard is
     * "still SENDING under {@code owner}'s lease".
     *
     * @throws LeaseLost when {@code current} is not SENDING under {@code owner}'s lease
     */
    public static DeliveryRecord settle(DeliveryRecord current, String owner, Outcome outcome, Instant now) throws LeaseLost {
        if (current == null || current.state() != DeliveryState.SENDING || !current.lease().owner().equals(owner)) {
            throw new LeaseLost(current == null ? "(no record)" : current.deliveryId());
        }
        return switch (outcome) {
            case Outcome.Succeeded s -> after(current, s.attempt(), DeliveryState.SUCCEEDED, null, now);
            case Outcome.Retry r -> after(current, r.attempt(), DeliveryState.PENDING, r.dueAt(), now);
            case Outcome.Failed f -> after(current, f.attempt(), DeliveryState.FAILED, null, now);
            case Outcome.Cancelled c -> after(current, c.attempt(), DeliveryState.CANCELLED, null, now);
            case Outcome.Dead d -> after(current, d.attempt(), DeliveryState.DEAD, null, now);
            case Outcome.Deferred d -> new DeliveryRecord(current.connectorId(), current.deliveryId(), current.userId(),
                    current.eventId(), current.eventType(), DeliveryState.PENDING, current.series(), current.attemptCount(),
                    d.dueAt(), null, current.attempts(), current.createdAt(), now, current.matchedAlternative());
        };
    }

    // ------------------------------------------------------------------ requeue

    /**
     * The reconciler put back the job of a record it found overdue (due at {@code seenDueAt}): the
     * record is due {@code now}, so the next passes leave it alone until the grace has passed anew,
     * while the job it was given may claim it at once. The write's guard is "still PENDING and due
     * at {@code seenDueAt}": the reconciler reads an eventually consistent index, and a record taken,
     * settled or given another due time since has a job of its own.
     *
     * @return the record to write, or empty when {@code current} is not the overdue record seen
     */
    public static java.util.Optional<DeliveryRecord> requeue(DeliveryRecord current, Instant seenDueAt, Instant now) {
        if (current == null || current.state() != DeliveryState.PENDING || !seenDueAt.equals(current.dueAt())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new DeliveryRecord(current.connectorId(), current.deliveryId(), current.userId(),
                current.eventId(), current.eventType(), DeliveryState.PENDING, current.series(), current.attemptCount(), now,
                null, current.attempts(), current.createdAt(), current.updatedAt(), current.matchedAlternative()));
    }

    private static DeliveryRecord after(DeliveryRecord r, Attempt attempt, DeliveryState state, Instant dueAt, Instant now) {
        if (attempt.series() != r.series() || attempt.number() != r.nextAttemptNumber()) {
            throw new IllegalArgumentException("attempt " + attempt.number() + " of series " + attempt.series()
                    + " does not follow attempt " + r.attemptCount() + " of series " + r.series());
        }
        List<Attempt> attempts = new ArrayList<>(r.attempts());
        attempts.add(attempt);
        return new DeliveryRecord(r.connectorId(), r.deliveryId(), r.userId(), r.eventId(), r.eventType(), state, r.series(),
                attempt.number(), dueAt, null, attempts, r.createdAt(), now, r.matchedAlternative());
    }
}
