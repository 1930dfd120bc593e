package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.connector.Page;
import app.connectors.net.HttpSender;
import app.connectors.net.SendResult;
import app.connectors.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A success whose record cannot be written is not sent again: the message is deleted." That holds
 * only for the message that made the attempt. The record is left SENDING under a lease that runs
 * out, which every other copy of the job reads as "the holder died": and copies are ordinary (SQS
 * delivers at least once; a copy that found the record busy was carried to the lease's end by this
 * very processor). The copy claims and sends a delivery the destination already accepted, with no
 * crash anywhere.
 */
class UnrecordedSuccessAttackTest {

    private static final Instant START = DeliveryFixtures.START;
    private static final RetrySchedule SCHEDULE = DeliveryFixtures.THREE_ATTEMPTS;

    @TempDir
    Path keys;

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryDeliveryStore deliveries = new InMemoryDeliveryStore();
    private final List<Instant> sentAt = new ArrayList<>();
    private final List<RecordingDeliveryQueue.Later> carried = new ArrayList<>();
    private final JobCarrier carrier = (job, delay) -> carried.add(new RecordingDeliveryQueue.Later(job, delay));
    private Runnable duringFirstSend = () -> { };
    private int settleFailures = 1;
    private final List<Instant> settleTries = new ArrayList<>();
    private DeliveryFixtures fixtures;
    private DeliveryProcessor processor;

    @BeforeEach
    void setUp() {
        fixtures = new DeliveryFixtures(keys, clock);
        HttpSender sender = request -> {
            sentAt.add(clock.instant());
            if (sentAt.size() == 1) {
                duringFirstSend.run();
            }
            return new SendResult.Response(200, Map.of(), "", Duration.ofMillis(20));
        };
        DeliveryStore throttledSettle = new DeliveryStore() {
            @Override
            public java.util.Optional<DeliveryRecord> find(String connectorId, String deliveryId) {
                return deliveries.find(connectorId, deliveryId);
            }

            @Override
            public DeliveryStateMachine.Claim claim(DeliveryJob job, String eventType, String owner, Instant now,
                                                    Duration leaseTime) {
                return deliveries.claim(job, eventType, owner, now, leaseTime);
            }

            @Override
            public DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome, Instant now)
                    throws DeliveryStateMachine.LeaseLost {
                settleTries.add(clock.instant());
                if (settleFailures > 0) {
                    settleFailures--;
                    throw new IllegalStateException("ProvisionedThroughputExceededException (after the SDK's retries)");
                }
                return deliveries.settle(sending, owner, outcome, now);
            }

            @Override
            public Page<DeliveryRecord> list(String connectorId, int limit, String cursor) {
                return deliveries.list(connectorId, limit, cursor);
            }

            @Override
            public void forEachOverdue(Instant dueBefore, Predicate<Overdue> action) {
                deliveries.forEachOverdue(dueBefore, action);
            }

            @Override
            public boolean requeue(Overdue overdue, Instant now) {
                return deliveries.requeue(overdue, now);
            }
        };
        processor = new DeliveryProcessor(new DeliveryStores(throttledSettle, new InMemoryDestinationStore(), new InMemoryEventStore()),
                new RecordingDeliveryQueue(), fixtures.connectorStore, fixtures.connectors, ConnectorTypeCatalog.standard(),
                fixtures.requests, sender, SCHEDULE, DeliveryTimings.production(), clock, clock::advance);
    }

    @Test
    void aCopyOfTheJobDoesNotSendAgainADeliveryWhoseSuccessCouldNotBeRecorded() {
        // GIVEN a delivery whose job SQS delivered twice: the copy arrives while the first is sending
        Connector generic = fixtures.generic("{}").connector();
        DeliveryJob job = DeliveryJob.of(FanOutTest.event("tech-product", "Acme Mobile", null), generic.userId(), generic.id());
        List<DeliveryOutcome> copyOutcomes = new ArrayList<>();
        duringFirstSend = () -> copyOutcomes.add(processor.process(job, carrier));

        // WHEN the destination accepts the first request, but the record of it cannot be written
        DeliveryOutcome first = processor.process(job, carrier);
        assertThat(first).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        // (the copy found the record busy and was carried to the end of the lease, as designed)
        assertThat(copyOutcomes).singleElement().isInstanceOf(DeliveryOutcome.Carried.class);
        assertThat(carried).hasSize(1);

        // AND the carried copy comes back when the lease has run out
        clock.advance(carried.get(0).delay());
        processor.process(carried.get(0).job(), carrier);

        // THEN the destination got the delivery once: no worker crashed, so no second request is allowed
        assertThat(sentAt)
                .as("requests for one delivery the destination accepted the first time, no worker having died")
                .hasSize(1);
    }

    @Test
    void aSuccessWhoseRecordCannotBeWrittenIsTriedAgainOnlyWhileTheLeaseHolds() {
        // GIVEN a store that refuses every write of the success
        settleFailures = Integer.MAX_VALUE;
        Connector generic = fixtures.generic("{}").connector();
        DeliveryJob job = DeliveryJob.of(FanOutTest.event("tech-product", "Acme Mobile", null), generic.userId(), generic.id());

        // WHEN the destination accepts the request
        DeliveryOutcome outcome = processor.process(job, carrier);

        // THEN the write was tried more than once, every try before the lease ran out (after it a copy
        // could claim the record: trying on would only hold the worker), and the request went once
        Instant leaseEnd = START.plus(DeliveryTimings.production().lease());
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(settleTries).hasSizeGreaterThan(2).allSatisfy(at -> assertThat(at).isBefore(leaseEnd));
        assertThat(sentAt).hasSize(1);
        assertThat(deliveries.find(job.connectorId(), job.deliveryId())).get()
                .extracting(DeliveryRecord::state).isEqualTo(DeliveryState.SENDING);
    }
}
