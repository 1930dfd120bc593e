package app.connectors.delivery;

import java.time.Duration;
import java.util.List;

/** The deliveries queue as the pipeline uses it: enqueue jobs, defer a received one, dead-letter one. */
public interface DeliveryQueue {

    void enqueue(List<DeliveryJob> jobs);

    /** Makes a received message visible again after {@code delay} (at most 12 h, SQS's visibility limit). */
    void retryLater(String receiptHandle, Duration delay);

    /** Puts the job on the dead-letter queue, with the reason as a message attribute. */
    void deadLetter(DeliveryJob job, String reason);
}
