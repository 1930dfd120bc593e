package app.connectors.delivery;

import java.time.Duration;
import java.util.List;

/** The deliveries queue as the pipeline uses it: enqueue jobs, defer a received one, dead-letter one. */
public interface DeliveryQueue {

    /** Queues jobs to run now. */
    void enqueue(List<DeliveryJob> jobs);

    /** Queues a job to run in {@code delay} (SQS delays at most 15 minutes; a job arriving early waits again). */
    void enqueueLater(DeliveryJob job, Duration delay);

    /** Makes a received message visible again after {@code delay} (at most 12 h after it was received: see {@link JobCarrier}). */
    void retryLater(String receiptHandle, Duration delay);

    /** Puts the job on the dead-letter queue, with the reason as a message attribute. */
    void deadLetter(DeliveryJob job, String reason);
}
