package app.connectors.delivery;

import java.time.Duration;

/**
 * Every time limit of the delivery path, derived in one place from four given ones, so that they
 * agree by construction: a worker's lease outlasts everything it may do while holding it, a
 * function's timeout outlasts a worker, a queue's visibility outlasts a function, and the
 * reconciler waits longer than any of them before it calls a job lost. template.yaml must agree
 * with {@link #production()}; {@code DeliveryTimingsTemplateTest} reads it and fails when it does not.
 *
 * <pre>{@code
 * DeliveryTimings t = DeliveryTimings.production();
 * t.lease();                 // how long a claim holds a record
 * t.functionTimeout();       // the least Timeout for DeliverFunction
 * }</pre>
 *
 * @param sendDeadline the whole HTTP exchange with a destination, at most (the sender's deadline)
 * @param awsCall      one AWS SDK call, retries included (the SDK's API call timeout)
 * @param inlineWait   the longest wait for a send slot slept in place; longer waits go back to the queue
 * @param transformRun the longest a transformation may run, wall clock (the sandbox's backstop)
 */
public record DeliveryTimings(Duration sendDeadline, Duration awsCall, Duration inlineWait, Duration transformRun) {

    /** AWS calls a worker makes before it claims: connector, destination (a booking is two), the stored event. */
    static final int CALLS_BEFORE_CLAIM = 4;
    /**
     * AWS calls a worker may make while it holds the lease: the claim, a KMS unwrap, a re-read of
     * the destination, two bookings when its slot went stale, keeping the event, the dead-letter send
     * or the job's carrier, and the settling write.
     */
    static final int CALLS_UNDER_LEASE = 8;
    /** AWS calls after settling: a pause, the failure streak, a disable (read and write), the message's visibility. */
    static final int CALLS_AFTER_SETTLE = 5;
    /** Room for what is not an AWS call or a send: JSON, formatting, a thread waiting for a core. */
    static final Duration MARGIN = Duration.ofSeconds(5);
    /** A job deferred to its send slot comes back this much early and sleeps the rest (SQS rounds to seconds). */
    static final Duration SLOT_LEAD = Duration.ofSeconds(2);
    /** Send slots are booked at most this far ahead: a job holding one travels in a delayed message (15 min at most). */
    static final Duration PACING_HORIZON = Duration.ofMinutes(10);
    /** SQS: a message's visibility may reach at most this long after it was received. */
    public static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    /** SQS: the longest delay of a sent message. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);
    /**
     * How long DeliveriesDLQ keeps a job (template.yaml's MessageRetentionPeriod, SQS's maximum),
     * counted from when the job was first queued: a job SQS moved there after it crashed the
     * deliverer comes back unchanged (no restart asked) when an operator redrives it, until then.
     */
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

    public DeliveryTimings {
        for (Duration d : new Duration[] {sendDeadline, awsCall, inlineWait, transformRun}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("delivery timings must be positive");
            }
        }
    }

    /** The service's: a 15 s send, 4 s an AWS call, 2 s slept for a slot, 1 s a transformation. */
    public static DeliveryTimings production() {
        return new DeliveryTimings(Duration.ofSeconds(15), Duration.ofSeconds(4), Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    /** These timings with another send deadline (the local stack and tests shorten it). */
    public DeliveryTimings withSendDeadline(Duration deadline) {
        return new DeliveryTimings(deadline, awsCall, inlineWait, transformRun);
    }

    /** These timings with another AWS call timeout. */
    public DeliveryTimings withAwsCall(Duration call) {
        return new DeliveryTimings(sendDeadline, call, inlineWait, transformRun);
    }

    /** How long a claim holds a record: everything a worker does from its claim to its settling write, and a margin. */
    public Duration lease() {
        return SLOT_LEAD.plus(inlineWait).plus(transformRun).plus(sendDeadline)
                .plus(awsCall.multipliedBy(CALLS_UNDER_LEASE)).plus(MARGIN);
    }

    /** The longest one job takes a worker, from its message to its last call. */
    public Duration perJob() {
        return awsCall.multipliedBy(CALLS_BEFORE_CLAIM).plus(lease()).plus(awsCall.multipliedBy(CALLS_AFTER_SETTLE));
    }

    /**
     * The least Timeout of a function that runs jobs (DeliverFunction): a worker started at the
     * beginning of an invocation finishes, or its lease runs out, before Lambda stops it.
     */
    public Duration functionTimeout() {
        return perJob().plus(MARGIN);
    }

    /**
     * How long before its timeout the dispatcher stops starting first attempts (and leaves the rest
     * of a fan-out to a continuation), so that every attempt it started settles in time.
     */
    public Duration dispatchReserve() {
        return perJob().plus(MARGIN);
    }

    /** The least visibility timeout of a queue whose function has {@code timeout}: AWS asks for six times it. */
    public static Duration queueVisibility(Duration timeout) {
        return timeout.multipliedBy(6);
    }

    /**
     * How long the reconciler waits past a pending record's due time before it calls the job lost:
     * longer than a job may legitimately be late (a message deferred to its due time, received, and
     * then waiting for a lease to run out).
     */
    public Duration reconcileGrace() {
        Duration atLeast = lease().plus(functionTimeout()).plus(MARGIN);
        Duration fifteenMinutes = Duration.ofMinutes(15);
        return atLeast.compareTo(fifteenMinutes) > 0 ? atLeast : fifteenMinutes;
    }

    public Duration slotLead() {
        return SLOT_LEAD;
    }

    public Duration pacingHorizon() {
        return PACING_HORIZON;
    }
}
