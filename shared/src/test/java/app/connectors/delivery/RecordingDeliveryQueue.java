package app.connectors.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link DeliveryQueue} that keeps what it was asked to do, for assertions. */
final class RecordingDeliveryQueue implements DeliveryQueue {

    final List<List<DeliveryJob>> batches = new ArrayList<>();
    final List<DeliveryJob> deadLettered = new ArrayList<>();

    @Override
    public synchronized void enqueue(List<DeliveryJob> jobs) {
        batches.add(List.copyOf(jobs));
    }

    @Override
    public void retryLater(String receiptHandle, Duration delay) {
        throw new UnsupportedOperationException("the domain never defers a message itself; the handler does");
    }

    @Override
    public synchronized void deadLetter(DeliveryJob job, String reason) {
        deadLettered.add(job);
    }

    synchronized List<DeliveryJob> jobs() {
        return batches.stream().flatMap(List::stream).toList();
    }
}
