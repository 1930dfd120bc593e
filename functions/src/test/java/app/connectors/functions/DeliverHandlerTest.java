package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.account.Tier;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorStore;
import app.connectors.connector.Page;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryProcessor;
import app.connectors.delivery.DeliveryQueue;
import app.connectors.delivery.DeliveryRecord;
import app.connectors.delivery.DeliveryState;
import app.connectors.delivery.DeliveryStateMachine;
import app.connectors.delivery.DeliveryStore;
import app.connectors.delivery.DeliveryStores;
import app.connectors.delivery.DeliveryTimings;
import app.connectors.delivery.DestinationStore;
import app.connectors.delivery.EventStore;
import app.connectors.delivery.RetrySchedule;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Which messages DeliverHandler reports done, and how it carries a job: a message is deleted only
 * when its worker said so; a worker that died with an Error leaves its message on the queue; a job
 * that must wait longer than its message may goes into a new message.
 */
class DeliverHandlerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final Map<String, DeliveryRecord> records = new HashMap<>();
    private final RecordingQueue queue = new RecordingQueue();
    /** Connector ids whose lookup dies with an Error, as a worker out of memory or stack would. */
    private final Map<String, Error> dying = new HashMap<>();
    /** Connector ids whose lookup fails as an unreachable store would (the job is kept, nothing recorded). */
    private final java.util.Set<String> unreachable = new java.util.HashSet<>();

    @Test
    void aWorkerThatDiesWithAnErrorLeavesItsMessageOnTheQueue() {
        // GIVEN a batch of two jobs: one whose worker dies with StackOverflowError, one that finishes
        dying.put("c-dies", new StackOverflowError());
        SQSEvent batch = batch(message("m-dies", job("c-dies")), message("m-gone", job("c-gone")));

        // WHEN the batch is handled
        SQSBatchResponse response = handler().handleRequest(batch, new TestContext(60_000));

        // THEN only the finished one is reported done; the other stays and comes back
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-dies");
        assertThat(records.values()).extracting(DeliveryRecord::connectorId).containsExactly("c-gone");
    }

    @Test
    void aWorkerOutOfMemoryLeavesItsMessageOnTheQueue() {
        dying.put("c-dies", new OutOfMemoryError("Java heap space"));

        SQSBatchResponse response = handler().handleRequest(batch(message("m-dies", job("c-dies"))), new TestContext(60_000));

        assertThat(response.getBatchItemFailures()).hasSize(1);
    }

    @Test
    void aJobThatMustWaitLongerThanItsMessageMayGoesInANewMessage() {
        // GIVEN a job whose record's next attempt is due in 11 h 59 min, more than a message received
        // now may stay invisible (SQS: 12 h after the receive, less the function's own time)
        DeliveryJob job = job("c-later");
        records.put(job.deliveryId(), pending(job, NOW.plus(Duration.ofHours(11).plusMinutes(59))));
        existing.add(job.connectorId());

        // WHEN its message is handled
        SQSBatchResponse response = handler().handleRequest(batch(message("m-later", job)), new TestContext(60_000));

        // THEN a new message carries it (SQS delays it 15 min; it waits again from there) and the old one goes
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(queue.later).singleElement().satisfies(later -> assertThat(later).startsWith(job.deliveryId()));
        assertThat(queue.visibility).isEmpty();
    }

    @Test
    void aJobThatWaitsWithinItsMessagesLimitsStaysInItByVisibility() {
        DeliveryJob job = job("c-soon");
        records.put(job.deliveryId(), pending(job, NOW.plus(Duration.ofMinutes(30))));
        existing.add(job.connectorId());

        SQSBatchResponse response = handler().handleRequest(batch(message("m-soon", job)), new TestContext(60_000));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-soon");
        assertThat(queue.visibility).containsExactly("receipt-m-soon=" + Duration.ofMinutes(30));
        assertThat(queue.later).isEmpty();
    }

    @Test
    void aMessageCloseToTheQueuesRetentionIsCarriedOnInANewOne() {
        // GIVEN a job whose message was sent almost four days ago (the queue keeps messages four days)
        DeliveryJob job = job("c-old");
        records.put(job.deliveryId(), pending(job, NOW.plus(Duration.ofHours(2))));
        existing.add(job.connectorId());
        SQSEvent.SQSMessage old = message("m-old", job);
        old.setAttributes(Map.of("SentTimestamp", Long.toString(NOW.minus(Duration.ofDays(4)).plusSeconds(3600).toEpochMilli())));

        SQSBatchResponse response = handler().handleRequest(batch(old), new TestContext(60_000));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(queue.later).hasSize(1);
    }

    @Test
    void aJobDeferredOftenIsNotLeftInAMessageSqsIsAboutToDeadLetter() {
        // GIVEN a job that has only ever been deferred: its destination kept answering 429 (each pause
        // sends it back by a visibility change), or it waited behind a paced backlog or a lease. None
        // of those is an attempt, but each one is a receive of the same message, and DeliveriesQueue's
        // redrive policy (template.yaml: maxReceiveCount 50) moves a message to DeliveriesDLQ on its
        // 51st receive, with the record still pending (or absent, for a first attempt that never got
        // to claim): no attempt recorded, no delivery.dead, nothing in the delivery log says why.
        DeliveryJob job = job("c-deferred");
        records.put(job.deliveryId(), pending(job, NOW.plus(Duration.ofSeconds(2))));
        existing.add(job.connectorId());
        SQSEvent.SQSMessage fiftieth = message("m-deferred", job);
        fiftieth.setAttributes(Map.of("SentTimestamp", Long.toString(NOW.minusSeconds(600).toEpochMilli()),
                "ApproximateReceiveCount", "50"));

        // WHEN it is received for the 50th time and must wait 2 s more
        SQSBatchResponse response = handler().handleRequest(batch(fiftieth), new TestContext(60_000));

        // THEN it is not put back in that message (its next receive would be SQS's dead-letter move)
        // but carried on in a new one, whose receive count starts again
        assertThat(queue.visibility)
                .as("the job stayed in a message received 50 times: SQS dead-letters it on the next receive")
                .isEmpty();
        assertThat(queue.later).hasSize(1);
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void aJobWaitingInAMessageFarFromTheReceiveLimitStaysInIt() {
        DeliveryJob job = job("c-waits");
        records.put(job.deliveryId(), pending(job, NOW.plus(Duration.ofSeconds(2))));
        existing.add(job.connectorId());
        SQSEvent.SQSMessage received = message("m-waits", job);
        received.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(DeliverHandler.RENEW_AT_RECEIVE - 1)));

        handler().handleRequest(batch(received), new TestContext(60_000));

        assertThat(queue.visibility).containsExactly("receipt-m-waits=" + Duration.ofSeconds(2));
        assertThat(queue.later).isEmpty();
    }

    @Test
    void aJobThatKeepsFailingIsNotCarriedOnPastTheReceiveLimit() {
        // GIVEN a job whose every try fails (its worker cannot reach a store), on its 50th receive
        DeliveryJob job = job("c-failing");
        unreachable.add(job.connectorId());
        SQSEvent.SQSMessage fiftieth = message("m-failing", job);
        fiftieth.setAttributes(Map.of("ApproximateReceiveCount", "50"));

        // WHEN it fails again
        SQSBatchResponse response = handler().handleRequest(batch(fiftieth), new TestContext(60_000));

        // THEN it stays in its message, which the queue's redrive policy moves to DeliveriesDLQ: only
        // waits are carried on in a new message, never a job that keeps failing
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(queue.later).isEmpty();
    }

    // ------------------------------------------------------------------ fixtures

    /** Connectors that exist (found as disabled: their jobs are cancelled without a request). */
    private final java.util.Set<String> existing = new java.util.HashSet<>();

    private DeliverHandler handler() {
        ConnectorStore connectors = new ConnectorStore() {
            @Override
            public void create(Connector connector, Tier tier, OptionalInt limit) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Connector> find(String userId, String connectorId) {
                Error error = dying.get(connectorId);
                if (error != null) {
                    throw error;
                }
                if (unreachable.contains(connectorId)) {
                    throw new IllegalStateException("the connectors table cannot be reached");
                }
                if (!existing.contains(connectorId)) {
                    return Optional.empty();
                }
                return Optional.of(new Connector(connectorId, userId, "generic", "n", Json.object(), new byte[0],
                        List.of("*"), app.connectors.filter.EventPattern.everything(), null, Connector.Status.DISABLED,
                        "off", 1, NOW, NOW));
            }

            @Override
            public Page<Connector> list(String userId, int limit, String cursor) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void update(Connector updated, long expectedVersion, List<String> previousEvents) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void renewCredentials(Connector renewed, long expectedVersion) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean delete(String userId, String connectorId) {
                throw new UnsupportedOperationException();
            }
        };
        DeliveryProcessor processor = new DeliveryProcessor(new DeliveryStores(new MapStore(), new NoDestinations(), new NoEvents()),
                queue, connectors, null, ConnectorTypeCatalog.standard(), null, request -> {
                    throw new AssertionError("nothing is sent in these tests");
                }, RetrySchedule.standard(), DeliveryTimings.production(), CLOCK, d -> { });
        return new DeliverHandler(processor, queue, CLOCK);
    }

    private static DeliveryJob job(String connectorId) {
        ObjectNode envelope = EventCatalog.standard().all().iterator().next().example().deepCopy();
        envelope.put("id", "evt_" + connectorId);
        try {
            Event event = EventParser.standard().parse(Json.write(envelope));
            return DeliveryJob.of(event, "user-1", connectorId);
        } catch (app.connectors.event.InvalidEventException e) {
            throw new AssertionError(e);
        }
    }

    private static DeliveryRecord pending(DeliveryJob job, Instant dueAt) {
        return new DeliveryRecord(job.connectorId(), job.deliveryId(), job.userId(), job.eventId(), job.event().type(),
                DeliveryState.PENDING, 1, 1, dueAt, null, List.of(), NOW.minusSeconds(60), NOW.minusSeconds(60), null);
    }

    private static SQSEvent.SQSMessage message(String id, DeliveryJob job) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setReceiptHandle("receipt-" + id);
        message.setBody(job.toJson());
        message.setAttributes(Map.of("SentTimestamp", Long.toString(NOW.toEpochMilli())));
        return message;
    }

    private static SQSEvent batch(SQSEvent.SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        return event;
    }

    /** Records by delivery id, moved by the state machine (as the real stores' conditional writes move them). */
    private final class MapStore implements DeliveryStore {
        @Override
        public synchronized Optional<DeliveryRecord> find(String connectorId, String deliveryId) {
            return Optional.ofNullable(records.get(deliveryId));
        }

        @Override
        public synchronized DeliveryStateMachine.Claim claim(DeliveryJob job, String eventType, String owner, Instant now,
                                                             Duration leaseTime) {
            var claim = DeliveryStateMachine.claim(records.get(job.deliveryId()), job, eventType, owner, now, leaseTime);
            if (claim instanceof DeliveryStateMachine.Claim.Taken taken) {
                records.put(job.deliveryId(), taken.record());
            }
            return claim;
        }

        @Override
        public synchronized DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome,
                                                  Instant now) throws DeliveryStateMachine.LeaseLost {
            DeliveryRecord next = DeliveryStateMachine.settle(records.get(sending.deliveryId()), owner, outcome, now);
            records.put(sending.deliveryId(), next);
            return next;
        }

        @Override
        public Page<DeliveryRecord> list(String connectorId, int limit, String cursor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void forEachOverdue(Instant dueBefore, Predicate<Overdue> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean requeue(Overdue overdue, Instant now) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class NoDestinations implements DestinationStore {
        @Override
        public DestinationState read(String connectorId) {
            return DestinationState.NONE;
        }

        @Override
        public DestinationState readLatest(String connectorId) {
            return DestinationState.NONE;
        }

        @Override
        public Booking book(String connectorId, Duration spacing, Instant now, Duration horizon) {
            return new Booking.Booked(now, DestinationState.NONE);
        }

        @Override
        public void pauseUntil(String connectorId, Instant until) {
        }

        @Override
        public Instant failingSince(String connectorId, Instant now) {
            return now;
        }

        @Override
        public void clearFailures(String connectorId) {
        }
    }

    private static final class NoEvents implements EventStore {
        @Override
        public void keep(Event event) {
        }

        @Override
        public Optional<Event> find(String eventId) {
            return Optional.empty();
        }
    }

    private static final class RecordingQueue implements DeliveryQueue {
        final List<String> later = new ArrayList<>();
        final List<String> visibility = new ArrayList<>();

        @Override
        public void enqueue(List<DeliveryJob> jobs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized void enqueueLater(DeliveryJob job, Duration delay) {
            later.add(job.deliveryId() + "=" + delay);
        }

        @Override
        public synchronized void retryLater(String receiptHandle, Duration delay) {
            visibility.add(receiptHandle + "=" + delay);
        }

        @Override
        public void deadLetter(DeliveryJob job, String reason) {
            throw new UnsupportedOperationException();
        }
    }

    /** A Lambda context with a given time left. */
    private record TestContext(int remainingMillis) implements com.amazonaws.services.lambda.runtime.Context {
        @Override
        public String getAwsRequestId() {
            return "test";
        }

        @Override
        public String getLogGroupName() {
            return "test";
        }

        @Override
        public String getLogStreamName() {
            return "test";
        }

        @Override
        public String getFunctionName() {
            return "DeliverFunction";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:DeliverFunction";
        }

        @Override
        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return remainingMillis;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
            return null;
        }
    }
}
