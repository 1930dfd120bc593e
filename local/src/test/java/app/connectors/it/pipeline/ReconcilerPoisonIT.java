package app.connectors.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.config.Settings;
import app.connectors.delivery.Attempt;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryQueue;
import app.connectors.delivery.DeliveryRecord;
import app.connectors.delivery.DeliveryState;
import app.connectors.delivery.DeliveryTimings;
import app.connectors.delivery.DynamoDbDeliveryStore;
import app.connectors.delivery.DynamoDbEventStore;
import app.connectors.delivery.Reconciler;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One overdue record whose kept event cannot be read back must not stop the reconciler from putting
 * back every other lost job. The event store keeps an event as Jackson writes it again, and reads it
 * with EventParser, whose 240 KiB cap then applies to the re-written bytes: an event of 1e6 numbers
 * accepted at 98 KiB is kept at 251 KB and {@code find} throws "stored event does not parse".
 * Reconciler.run does not catch it: the pass ends there, and so does every pass after it (the record
 * stays overdue for its 30 days), so no pending record after it in the index is ever put back.
 */
class ReconcilerPoisonIT {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final int DUE_SHARDS = 8; // DynamoDbDeliveryStore.DUE_SHARDS: the index's partitions

    @Test
    void aRecordWhoseEventCannotBeReadDoesNotStopTheReconcilerPuttingBackTheOthers() throws Exception {
        // GIVEN the stack's Deliveries and DeliveryEvents tables
        PipelineStack env = PipelineStack.get();
        Settings settings = Settings.from(env.stack.environmentOf("ReconcilerFunction"));
        var dynamoDb = env.stack.dynamoDb();
        DynamoDbDeliveryStore deliveries = new DynamoDbDeliveryStore(dynamoDb, settings.deliveriesTable());
        DynamoDbEventStore events = new DynamoDbEventStore(dynamoDb, settings.required(Settings.DELIVERY_EVENTS_TABLE),
                Clock.fixed(NOW, ZoneOffset.UTC));
        DeliveryTimings timings = DeliveryTimings.production();
        Instant dueAt = NOW.minus(timings.reconcileGrace()).minus(Duration.ofMinutes(1));

        // AND a lost job of an accepted event that is kept 2.5 times its size, in the index's first
        // partition, and a lost job of an ordinary event in a later one
        long run = System.nanoTime();
        Event big = event("evt_big_" + run, "{\"samples\": " + numbers(98 * 1024) + "}");
        Event small = event("evt_small_" + run, "{\"note\": \"ordinary\"}");
        events.keep(big);
        events.keep(small);
        DeliveryJob poisoned = jobInShard(big, "connector-big-" + run, shard -> shard == 0);
        DeliveryJob ordinary = jobInShard(small, "connector-small-" + run, shard -> shard > 0);
        for (DeliveryJob job : List.of(poisoned, ordinary)) {
            Attempt failed = new Attempt(1, 1, dueAt.minusSeconds(5), 500, 10, "retrying", "HTTP 500", null, 1L);
            dynamoDb.putItem(r -> r.tableName(settings.deliveriesTable()).item(DynamoDbDeliveryStore.toItem(new DeliveryRecord(
                    job.connectorId(), job.deliveryId(), job.userId(), job.eventId(), job.event().type(), DeliveryState.PENDING,
                    1, 1, dueAt, null, List.of(failed), dueAt.minusSeconds(10), dueAt.minusSeconds(5), null))));
        }

        // WHEN the reconciler runs
        List<DeliveryJob> requeued = Collections.synchronizedList(new ArrayList<>());
        Reconciler reconciler = new Reconciler(deliveries, events, new DeliveryQueue() {
            @Override
            public void enqueue(List<DeliveryJob> jobs) {
                requeued.addAll(jobs);
            }

            @Override
            public void enqueueLater(DeliveryJob job, Duration delay) {
                requeued.add(job);
            }

            @Override
            public void retryLater(String receiptHandle, Duration delay) {
            }

            @Override
            public void deadLetter(DeliveryJob job, String reason) {
            }
        }, timings, Clock.fixed(NOW, ZoneOffset.UTC));
        // (a pass never ends at one record: a throw here fails the test)
        reconciler.run();

        // THEN the ordinary record's job is put back
        assertThat(requeued).extracting(DeliveryJob::deliveryId)
                .as("the ordinary lost job is put back despite the unreadable one before it")
                .contains(ordinary.deliveryId());
    }

    private static DeliveryJob jobInShard(Event event, String connectorPrefix, java.util.function.IntPredicate wanted) {
        for (int i = 0; ; i++) {
            DeliveryJob job = DeliveryJob.of(event, "user-poison", connectorPrefix + "-" + i);
            if (wanted.test(Math.floorMod(job.deliveryId().hashCode(), DUE_SHARDS))) {
                return job;
            }
        }
    }

    private static String numbers(int chars) {
        StringBuilder numbers = new StringBuilder("[1e6");
        while (numbers.length() < chars) {
            numbers.append(",1e6");
        }
        return numbers.append(']').toString();
    }

    private static Event event(String id, String data) throws Exception {
        ObjectNode envelope = EventCatalog.standard().find("promise.created").orElseThrow().example().deepCopy();
        envelope.put("id", id);
        envelope.put("data", "DATA");
        return EventParser.standard().parse(Json.write(envelope).replace("\"DATA\"", data));
    }
}
