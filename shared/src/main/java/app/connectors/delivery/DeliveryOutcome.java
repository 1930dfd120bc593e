package app.connectors.delivery;

import java.time.Duration;

/** What the queue should do with a delivery job after {@link DeliveryProcessor#process}. */
public sealed interface DeliveryOutcome {

    /** Finished (sent, failed for good, cancelled, or a duplicate): delete the message. */
    record Done(DeliveryStatus status) implements DeliveryOutcome {
    }

    /** Try again later: keep the message and make it visible again after {@code delay}. */
    record RetryLater(Duration delay, String reason) implements DeliveryOutcome {
    }

    /**
     * Every attempt failed: move the job to the dead-letter queue, then delete the message.
     *
     * @param series the series of attempts that died; the dead-lettered job carries it
     *               ({@link DeliveryJob#diedIn}) so that only its redrive starts a new series
     */
    record Dead(String reason, int series) implements DeliveryOutcome {
    }
}
