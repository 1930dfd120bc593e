package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A record whose kept event cannot be read (a store that fails, an item that does not parse) is
 * logged and left for the next pass; the pass goes on to the other overdue records.
 */
class ReconcilerUnreadableEventTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final DeliveryTimings TIMINGS = DeliveryTimings.production();

    @Test
    void aRecordWhoseEventCannotBeReadDoesNotEndThePass() {
        // GIVEN overdue records of three events, the first one's kept event unreadable
        InMemoryDeliveryStore deliveries = new InMemoryDeliveryStore();
        InMemoryEventStore kept = new InMemoryEventStore();
        EventStore events = new EventStore() {
            @Override
            public void keep(Event event) {
                kept.keep(event);
            }

            @Override
            public Optional<Event> find(String eventId) {
                if (eventId.equals("evt_unreadable")) {
                    throw new IllegalStateException("stored event evt_unreadable does not parse");
                }
                return kept.find(eventId);
            }
        };
        RecordingDeliveryQueue queue = new RecordingDeliveryQueue();
        List<DeliveryJob> jobs = List.of(job("evt_unreadable"), job("evt_fine_1"), job("evt_fine_2"));
        for (DeliveryJob job : jobs) {
            events.keep(job.event());
            deliveries.put(pending(job, NOW.minus(TIMINGS.reconcileGrace()).minusSeconds(60)));
        }

        // WHEN the reconciler runs
        Reconciler.Result result = new Reconciler(deliveries, events, queue, TIMINGS, new MutableClock(NOW)).run();

        // THEN the other two get their jobs back; the unreadable one is counted overdue, not requeued
        assertThat(queue.jobs()).extracting(DeliveryJob::eventId).containsExactlyInAnyOrder("evt_fine_1", "evt_fine_2");
        assertThat(result.overdue()).isEqualTo(3);
        assertThat(result.requeued()).isEqualTo(2);
    }

    private static DeliveryJob job(String eventId) {
        Event event = FanOutTest.event(eventId, "tech-product");
        return DeliveryJob.of(event, "user-1", "connector-" + eventId);
    }

    private static DeliveryRecord pending(DeliveryJob job, Instant dueAt) {
        Attempt failed = new Attempt(1, 1, dueAt.minusSeconds(5), 500, 10, "retrying", "HTTP 500", null, 1L);
        return new DeliveryRecord(job.connectorId(), job.deliveryId(), job.userId(), job.eventId(), job.event().type(),
                DeliveryState.PENDING, 1, 1, dueAt, null, List.of(failed), dueAt.minusSeconds(10), dueAt.minusSeconds(5), null);
    }
}
