package app.connectors.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link DeliveryQueue} that keeps what it was asked to do, for assertions. */
final class RecordingDeliveryQueue implements DeliveryQueue {

    /** A job queued to run after a delay. */
    record Later(DeliveryJob job, Duration delay) {
    }

    final List<List<DeliveryJob>> batches = new ArrayList<>();
    final List<Later> later = new ArrayList<>();
    final List<DeliveryJob> deadLettered = new ArrayList<>();
    final List<String> deadLetterReasons = new ArrayList<>();
    /** When set, dead-letter sends fail (SQS unreachable). */
    volatile boolean deadLetterFails;

    @Override
    public synchronized void enqueue(List<DeliveryJob> jobs) {
        batches.add(List.copyOf(jobs));
    }

    @Override
    public synchronized void enqueueLater(DeliveryJob job, Duration delay) {
        later.add(new Later(job, delay));
    }

    @Override
    public void retryLater(String receiptHandle, Duration delay) {
        throw new UnsupportedOperationException("the domain never defers a message itself; the handler's carrier does");
    }

    @Override
    public synchronized void deadLetter(DeliveryJob job, String reason) {
        if (deadLetterFails) {
            throw new IllegalStateException("the dead-letter queue cannot be reached");
        }
        deadLettered.add(job);
        deadLetterReasons.add(reason);
    }

    synchronized List<DeliveryJob> jobs() {
        return batches.stream().flatMap(List::stream).toList();
    }
}
