package app.connectors.delivery;

/** What became of one job in {@link DeliveryProcessor#process}, and so of the message that carried it. */
public sealed interface DeliveryOutcome {

    /** The delivery is finished with, or its next attempt is carried elsewhere: the message may go. */
    record Done(DeliveryState state) implements DeliveryOutcome {
    }

    /** The job's next attempt is carried, by the carrier the processor was given, in {@code delay}. */
    record Carried(java.time.Duration delay, String reason) implements DeliveryOutcome {
    }

    /**
     * No progress could be recorded (a store or queue could not be reached): the message that
     * carried the job must come back; nothing was lost, and the next try finds the record as it was.
     */
    record Kept(String reason) implements DeliveryOutcome {
    }
}
