package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.connector.Connector;
import app.connectors.connector.Subscription;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryOutcome;
import app.connectors.delivery.DeliveryState;
import app.connectors.delivery.DeliveryTimings;
import app.connectors.delivery.EventStore;
import app.connectors.delivery.EventsQueue;
import app.connectors.delivery.FanOut;
import app.connectors.delivery.FanOutContinuation;
import app.connectors.delivery.SubscriptionStore;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.filter.EventPattern;
import app.connectors.json.Json;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import app.connectors.delivery.FanOutLeases;
import app.connectors.testing.MutableClock;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Which fan-out an event's message gets, by what taking its fan-out's lease came to: attempts here
 * when nobody held it, jobs on DeliveriesQueue when its holder's time ran out, nothing (the message
 * stays) while another dispatcher holds it.
 */
class DispatcherHandlerTest {

    private static final String TYPE = "promise.status_changed";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final List<String> attemptedHere = Collections.synchronizedList(new ArrayList<>());
    private final List<FanOutLeases.Lease> attemptedUnder = Collections.synchronizedList(new ArrayList<>());
    private final List<String> queuedAsJobs = Collections.synchronizedList(new ArrayList<>());
    /** The leases as stored, each taken as the store's conditional write takes it (FanOutLeases.judge). */
    private final Map<String, FanOutLeases.Lease> leases = new java.util.concurrent.ConcurrentHashMap<>();
    private final MutableClock clock = new MutableClock(NOW);
    /** Events kept for continuations (a continuation names its event; the event store holds it). */
    private final Map<String, Event> keptEvents = new java.util.concurrent.ConcurrentHashMap<>();
    private final SubscriptionStore twoSubscribers = new SubscriptionStore() {
        @Override
        public void forEach(String eventType, String userId, String afterSubscriber, Predicate<Subscription> action) {
            if (eventType.equals(TYPE)) {
                for (String connectorId : List.of("c1", "c2")) {
                    if (afterSubscriber != null && Subscription.subscriberKey("user-1", connectorId).compareTo(afterSubscriber) <= 0) {
                        continue;
                    }
                    if (!action.test(new Subscription(TYPE, "user-1", connectorId, "generic", Connector.Status.ACTIVE,
                            EventPattern.everything(), 1))) {
                        return;
                    }
                }
            }
        }
    };
    private final FanOutLeases leaseTable = new FanOutLeases() {
        @Override
        public Taking take(String eventId, FanOut.Position from, String owner, Instant now, Instant until) {
            synchronized (leases) {
                String key = eventId + " " + FanOutLeases.segment(from);
                FanOutLeases.Lease current = leases.get(key);
                Taking taking = FanOutLeases.judge(current == null ? null : current.owner(),
                        current == null ? null : current.until(), eventId, from, owner, now, until);
                switch (taking) {
                    case Taking.Fresh fresh -> leases.put(key, fresh.lease());
                    case Taking.TakenOver over -> leases.put(key, over.lease());
                    case Taking.Busy busy -> {
                    }
                }
                return taking;
            }
        }

        @Override
        public void retain(String eventId, Instant now) {
            throw new AssertionError("a dispatcher restarts no delivery");
        }
    };
    private final DispatcherHandler handler = new DispatcherHandler(EventParser.standard(),
            new FanOut(twoSubscribers, (job, lease) -> {
                attemptedHere.add(job.connectorId());
                attemptedUnder.add(lease);
                return new DeliveryOutcome.Done(DeliveryState.SUCCEEDED);
            }, 4, clock),
            new FanOut(twoSubscribers, FanOut.FirstAttempt.queued((DeliveryJob job, Duration delay) -> queuedAsJobs.add(job.connectorId())),
                    4, clock),
            leaseTable,
            new EventsQueue() {
                @Override
                public void park(String body, String reason) {
                    throw new AssertionError("parked: " + reason);
                }

                @Override
                public void continueLater(FanOutContinuation continuation) {
                    throw new AssertionError("continued");
                }
            }, new EventStore() {
                @Override
                public void keep(Event event) {
                    throw new AssertionError("kept " + event.id());
                }

                @Override
                public Optional<Event> find(String eventId) {
                    if (!keptEvents.containsKey(eventId)) {
                        throw new AssertionError("read " + eventId);
                    }
                    return Optional.of(keptEvents.get(eventId));
                }
            }, DeliveryTimings.production(), clock);

    @Test
    void anEventNobodyFannedOutIsFannedOutIntoAttemptsHereUnderALeaseToTheInvocationsEnd() {
        SQSBatchResponse response = handler.handleRequest(batch(message("1")), context());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(attemptedHere).containsExactlyInAnyOrder("c1", "c2");
        assertThat(queuedAsJobs).isEmpty();
        assertThat(attemptedUnder).hasSize(2).allSatisfy(lease -> {
            assertThat(lease.eventId()).isEqualTo("evt_dispatch_1");
            assertThat(lease.segment()).isEqualTo("start");
            assertThat(lease.until()).isEqualTo(NOW.plusMillis(REMAINING_MILLIS));
        });
    }

    @Test
    void aCopyOfTheMessageWhileTheFirstDispatcherHoldsTheLeaseAttemptsNothingAndStays() {
        // GIVEN a dispatcher that took the lease on the event's fan-out and is still within it
        leases.put("evt_dispatch_1 start", new FanOutLeases.Lease("evt_dispatch_1", "start", "the-first", NOW.plusSeconds(60)));

        // WHEN a copy of the message arrives (SQS delivers at least once; or the event was published twice)
        SQSBatchResponse response = handler.handleRequest(batch(message("1")), context());

        // THEN nothing is attempted or queued, and the message comes back after its visibility timeout
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-1");
        assertThat(attemptedHere).isEmpty();
        assertThat(queuedAsJobs).isEmpty();
    }

    @Test
    void anEventWhoseDispatcherRanOutOfTimeHasEachDeliveryQueuedAsAJobAndGoes() {
        // GIVEN a lease whose holder died (its time ran out) after attempting who knows what
        leases.put("evt_dispatch_2 start", new FanOutLeases.Lease("evt_dispatch_2", "start", "died", NOW.minusSeconds(1)));

        SQSBatchResponse response = handler.handleRequest(batch(message("2")), context());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(queuedAsJobs).containsExactlyInAnyOrder("c1", "c2");
        assertThat(attemptedHere).isEmpty();
    }

    @Test
    void aMessageThatCameBackWithoutAnyLeaseTakenIsStillAttemptedHere() {
        // its first dispatcher died before taking the lease: nothing of it was attempted
        SQSBatchResponse response = handler.handleRequest(batch(message("3")), context());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(attemptedHere).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void twoDispatchersReceivingTheSameEventAtOnceAttemptItOnce() throws Exception {
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<SQSBatchResponse>> answers = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return handler.handleRequest(batch(message("1")), context());
                }));
            }
            go.countDown();
            int kept = 0;
            for (var answer : answers) {
                kept += answer.get().getBatchItemFailures().size();
            }
            assertThat(kept).isEqualTo(7);
        }
        assertThat(attemptedHere).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void aContinuationOfAFanOutHasItsDeliveriesQueuedAsJobsEvenWhenNobodyTookItsSegment() throws Exception {
        // GIVEN the continuation of a fan-out whose first dispatcher ran out of time after c1: its
        // segment is named by that place, so a "Fresh" take of it says nothing of other passes over
        // the same deliveries (a copy of the event taken over, the event published again, or c1
        // met again in the wildcard query): first attempts there would send without a claim
        Event event = EventParser.standard().parse(message("4").getBody());
        keptEvents.put(event.id(), event);
        SQSEvent.SQSMessage continuation = message("4");
        continuation.setBody(new FanOutContinuation(event, new FanOut.Position(false, Subscription.subscriberKey("user-1", "c1")))
                .toJson());

        SQSBatchResponse response = handler.handleRequest(batch(continuation), context());

        // THEN its deliveries are queued as jobs (each claims its record), none attempted in place
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(queuedAsJobs).containsExactly("c2");
        assertThat(attemptedHere).isEmpty();
    }

    private static SQSEvent.SQSMessage message(String receiveCount) {
        var envelope = EventCatalog.standard().find(TYPE).orElseThrow().example().deepCopy();
        envelope.put("id", "evt_dispatch_" + receiveCount);
        envelope.put("userId", "user-1");
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-" + receiveCount);
        message.setReceiptHandle("r-" + receiveCount);
        message.setBody(Json.write(envelope));
        message.setAttributes(Map.of("ApproximateReceiveCount", receiveCount));
        return message;
    }

    private static SQSEvent batch(SQSEvent.SQSMessage message) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    private static final int REMAINING_MILLIS = 170_000;

    /** A context that answers what the dispatcher reads: its function, request id and time left. */
    private static Context context() {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getFunctionName" -> "DispatcherFunction";
                    case "getAwsRequestId" -> "req-1";
                    case "getRemainingTimeInMillis" -> REMAINING_MILLIS;
                    case "getXrayTraceId" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
