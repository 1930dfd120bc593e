package app.connectors.delivery;

import java.time.Duration;

/**
 * What brings a delivery's job back for its next attempt. The dispatcher, which makes first
 * attempts where the event already is, carries a job by queueing it; the deliverer carries it in the
 * message it received (a visibility change), or in a new message when the job changed or must wait
 * longer than its message may (SQS allows 12 hours after a receive, and a message lives only as
 * long as the queue's retention).
 *
 * <p>{@link #carry} returns only once the job is safe: a record may say PENDING (or a job may be
 * let go) only after it.
 */
@FunctionalInterface
public interface JobCarrier {

    void carry(DeliveryJob job, Duration delay);
}
