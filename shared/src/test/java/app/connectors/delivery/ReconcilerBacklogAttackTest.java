package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reconciler runs every 5 minutes (template.yaml) and puts back a job for every record pending
 * past its due time and the 15-minute grace; it does not write the record. When DeliveriesQueue is
 * behind (the deliverer throttled or failing, its 50 concurrent pollers busy with deferrals in a 429 storm),
 * a requeued job is not picked up before the next pass, which finds the same record and queues
 * another, every pass, for as long as the backlog lasts. Copies do not die out: a copy that finds
 * the record busy or not due is carried to that moment (DeliveryProcessor.carryUnclaimed), so each
 * pass adds one more chain of messages per overdue record, and the backlog that caused it grows.
 */
class ReconcilerBacklogAttackTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final DeliveryTimings TIMINGS = DeliveryTimings.production();

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryDeliveryStore deliveries = new InMemoryDeliveryStore();
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final RecordingDeliveryQueue queue = new RecordingDeliveryQueue();
    private final Reconciler reconciler = new Reconciler(deliveries, events, queue, TIMINGS, clock);

    @Test
    void aRecordWhoseRequeuedJobIsStillQueuedIsNotRequeuedAgainByTheNextPass() {
        // GIVEN a pending record past its due time and the grace, its job lost
        Event event = FanOutTest.event("evt_backlog", "tech-product");
        DeliveryJob job = DeliveryJob.of(event, "user-1", "connector-1");
        events.keep(event);
        Instant dueAt = NOW.minus(TIMINGS.reconcileGrace()).minusSeconds(1);
        Attempt failed = new Attempt(1, 1, dueAt.minusSeconds(5), 500, 10, "retrying", "HTTP 500", null, 1L);
        deliveries.put(new DeliveryRecord(job.connectorId(), job.deliveryId(), job.userId(), job.eventId(), event.type(),
                DeliveryState.PENDING, 1, 1, dueAt, null, List.of(failed), dueAt.minusSeconds(10), dueAt.minusSeconds(5), null));

        // WHEN the reconciler runs, and runs again on its schedule before the queue (behind) got to the job
        reconciler.run();
        clock.advance(Duration.ofMinutes(5));
        reconciler.run();
        clock.advance(Duration.ofMinutes(5));
        reconciler.run();

        // THEN the record has one job put back, not one per pass
        assertThat(queue.jobs())
                .as("jobs put back for one lost job over three passes 5 minutes apart")
                .hasSize(1);
    }
}
