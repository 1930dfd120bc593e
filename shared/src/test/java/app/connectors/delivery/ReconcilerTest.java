package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final DeliveryTimings TIMINGS = DeliveryTimings.production();

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryDeliveryStore deliveries = new InMemoryDeliveryStore();
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final RecordingDeliveryQueue queue = new RecordingDeliveryQueue();
    private final Reconciler reconciler = new Reconciler(deliveries, events, queue, TIMINGS, clock);

    @Test
    void aPendingRecordWhoseJobNeverCamePastTheGraceGetsANewJob() {
        // GIVEN a delivery pending since well before the grace period, its event kept, its job lost
        DeliveryJob job = job("evt_lost");
        events.keep(job.event());
        deliveries.put(pending(job, NOW.minus(TIMINGS.reconcileGrace()).minusSeconds(1)));

        // WHEN the reconciler runs
        Reconciler.Result result = reconciler.run();

        // THEN a job for it is queued: an ordinary one, which claims the pending record when it runs
        assertThat(result).isEqualTo(new Reconciler.Result(1, 1, 0));
        assertThat(queue.jobs()).singleElement().satisfies(requeued -> {
            assertThat(requeued.deliveryId()).isEqualTo(job.deliveryId());
            assertThat(requeued.event()).isEqualTo(job.event());
            assertThat(requeued.restarts()).isNull();
        });
    }

    @Test
    void aRecordDueWithinTheGraceIsLeftToItsOwnJob() {
        DeliveryJob job = job("evt_late");
        events.keep(job.event());
        deliveries.put(pending(job, NOW.minus(TIMINGS.reconcileGrace()).plusSeconds(1)));

        assertThat(reconciler.run()).isEqualTo(new Reconciler.Result(0, 0, 0));
        assertThat(queue.jobs()).isEmpty();
    }

    @Test
    void recordsThatAreNotPendingAreNeverPutBack() {
        for (DeliveryState state : List.of(DeliveryState.SUCCEEDED, DeliveryState.FAILED, DeliveryState.DEAD)) {
            DeliveryJob job = job("evt_" + state.id());
            events.keep(job.event());
            deliveries.put(new DeliveryRecord(job.connectorId(), job.deliveryId(), job.userId(), job.eventId(), job.event().type(),
                    state, 1, 1, null, null, List.of(), NOW.minus(Duration.ofDays(1)), NOW.minus(Duration.ofDays(1)), null));
        }

        assertThat(reconciler.run().overdue()).isZero();
    }

    @Test
    void aPassStopsReadingTheIndexOnceItReachedItsCap() {
        // GIVEN more overdue records than one pass may put back
        DeliveryJob job = job("evt_backlog");
        events.keep(job.event());
        int backlog = Reconciler.MAX_PER_RUN + 25;
        for (int i = 0; i < backlog; i++) {
            DeliveryJob each = DeliveryJob.of(job.event(), "user-1", "connector-" + i);
            deliveries.put(pending(each, NOW.minus(Duration.ofDays(1))));
        }
        int[] offered = {0};
        DeliveryStore counting = new ForwardingDeliveryStore(deliveries) {
            @Override
            public void forEachOverdue(Instant dueBefore, java.util.function.Predicate<Overdue> action) {
                super.forEachOverdue(dueBefore, overdue -> {
                    offered[0]++;
                    return action.test(overdue);
                });
            }
        };

        // WHEN one pass runs
        Reconciler.Result result = new Reconciler(counting, events, queue, TIMINGS, clock).run();

        // THEN it puts back the cap's worth and reads no record past it (the rest is the next pass's)
        assertThat(result.requeued()).isEqualTo(Reconciler.MAX_PER_RUN);
        assertThat(offered[0]).isEqualTo(Reconciler.MAX_PER_RUN);
        assertThat(new Reconciler(deliveries, events, queue, TIMINGS, clock).run().requeued()).isEqualTo(25);
    }

    @Test
    void anOverdueRecordWhoseEventIsGoneIsCountedAndNotRequeued() {
        DeliveryJob job = job("evt_forgotten");
        deliveries.put(pending(job, NOW.minus(Duration.ofDays(2))));

        assertThat(reconciler.run()).isEqualTo(new Reconciler.Result(1, 0, 1));
        assertThat(queue.jobs()).isEmpty();
    }

    @Test
    void aJobPutBackBesideALateOriginalSendsOnce() {
        // GIVEN an overdue record whose original job was only late, not lost
        InMemoryEventStore kept = events;
        DeliveryJob job = job("evt_twice");
        kept.keep(job.event());
        deliveries.put(pending(job, NOW.minus(TIMINGS.reconcileGrace()).minusSeconds(1)));
        reconciler.run();
        DeliveryJob requeued = queue.jobs().get(0);

        // WHEN both claim the record
        DeliveryStateMachine.Claim first = deliveries.claim(job, job.event().type(), "original", NOW, TIMINGS.lease());
        DeliveryStateMachine.Claim second = deliveries.claim(requeued, job.event().type(), "requeued", NOW, TIMINGS.lease());

        // THEN one of them holds it and the other is told it is busy: one attempt, not two
        assertThat(first).isInstanceOf(DeliveryStateMachine.Claim.Taken.class);
        assertThat(second).isInstanceOf(DeliveryStateMachine.Claim.Busy.class);
    }

    private static DeliveryJob job(String eventId) {
        Event event = FanOutTest.event(eventId, "tech-product");
        return DeliveryJob.of(event, "user-1", "connector-1");
    }

    private static DeliveryRecord pending(DeliveryJob job, Instant dueAt) {
        Attempt failed = new Attempt(1, 1, dueAt.minusSeconds(5), 500, 10, "retrying", "HTTP 500", null, 1L);
        return new DeliveryRecord(job.connectorId(), job.deliveryId(), job.userId(), job.eventId(), job.event().type(),
                DeliveryState.PENDING, 1, 1, dueAt, null, List.of(failed), dueAt.minusSeconds(10), dueAt.minusSeconds(5), null);
    }
}
