package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.connector.Subscription;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.filter.EventPattern;
import app.connectors.net.HttpSender;
import app.connectors.net.SendResult;
import app.connectors.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fan-out's lease is taken per segment (the start, or where a continuation picks the fan-out
 * up), and a first attempt under it reads no record before it sends: "Fresh" must then mean that
 * none of the deliveries that segment will attempt was attempted by anybody. Segments are named by
 * where a dispatcher happened to run out of time, so different passes over one event make segments
 * of different names over the same deliveries, and a wildcard subscriber that also subscribes to
 * the event's type is met twice by a fan-out split in two. Each test runs the real processor under
 * the dispatcher's rule ({@link #dispatch}: Fresh attempts in place, TakenOver queues jobs, Busy
 * leaves the message) and counts the requests each destination received.
 */
class FanOutLeaseAttackTest {

    private static final String TYPE = "promise.status_changed";
    private static final Instant START = DeliveryFixtures.START;
    private static final DeliveryTimings TIMINGS = DeliveryTimings.production();
    /** The dispatcher's invocation (its Timeout), and so its lease on a segment. */
    private static final Duration INVOCATION = Duration.ofMinutes(3);

    @TempDir
    Path keys;

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryFanOutLeases leases = new InMemoryFanOutLeases();
    private final InMemoryDeliveryStore records = new InMemoryDeliveryStore(leases);
    private final FakeSubscriptions subscriptions = new FakeSubscriptions();
    /** Requests each connector's destination received (accepted: every destination answers 200). */
    private final Map<String, Integer> sent = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> connectorByUrl = new HashMap<>();
    /** Statuses a connector's destination answers, in turn (200 once they are used up). */
    private final Map<String, java.util.Deque<Integer>> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final InMemoryDestinationStore destinations = new InMemoryDestinationStore();
    /** Jobs on DeliveriesQueue, each with when it becomes visible, in the order queued. */
    private final List<Queued> jobs = java.util.Collections.synchronizedList(new ArrayList<>());
    private final JobCarrier carrier = (job, delay) -> jobs.add(new Queued(job, clock.instant().plus(delay)));

    private record Queued(DeliveryJob job, Instant visibleAt) {
    }
    /** Runs inside a destination's request, once, when set: what happens elsewhere while it is in flight. */
    private final Map<String, Runnable> duringSendTo = new java.util.concurrent.ConcurrentHashMap<>();
    private DeliveryFixtures fixtures;
    private DeliveryProcessor processor;
    private int dispatchers;

    @BeforeEach
    void setUp() {
        fixtures = new DeliveryFixtures(keys, clock);
        HttpSender sender = request -> {
            String connectorId = connectorByUrl.get(request.uri().toString());
            sent.merge(connectorId, 1, Integer::sum);
            Runnable during = duringSendTo.remove(connectorId);
            if (during != null) {
                during.run();
            }
            Integer status = answers.getOrDefault(connectorId, new java.util.ArrayDeque<>()).poll();
            return new SendResult.Response(status == null ? 200 : status, Map.of(), "", Duration.ofMillis(20));
        };
        processor = new DeliveryProcessor(new DeliveryStores(records, destinations, events),
                new RecordingDeliveryQueue(), fixtures.connectorStore, fixtures.connectors, ConnectorTypeCatalog.standard(),
                fixtures.requests, sender, new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(5)), 0.0), TIMINGS, clock,
                clock::advance);
    }

    /** {@code count} generic connectors of user-1 subscribed to {@code events}, in the order a fan-out meets them. */
    private List<String> connectors(int count, String... events) {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            made.add(connector(events));
        }
        made.sort(Comparator.comparing(id -> Subscription.subscriberKey(DeliveryFixtures.USER, id)));
        return made;
    }

    private String connector(String... events) {
        String url = "https://api.example.com/hooks/in/lease-attack-" + connectorByUrl.size();
        Connector connector = fixtures.create("""
                {"type":"generic","name":"n%d","config":{"url":"%s","method":"POST"},"events":[%s]}"""
                .formatted(connectorByUrl.size(), url, String.join(",", java.util.Arrays.stream(events)
                        .map(e -> "\"" + e + "\"").toList()))).connector();
        connectorByUrl.put(url, connector.id());
        for (String event : events) {
            subscriptions.add(event, connector);
        }
        return connector.id();
    }

    /**
     * What DispatcherHandler.dispatch does with one event's message, from {@code from}, in an
     * invocation that ends at {@code deadline}: takes the segment's lease; Busy leaves the message;
     * otherwise first attempts here under it where {@link FanOutLeases#attemptsInPlace} allows,
     * and every delivery queued as a job where it does not.
     *
     * @return where a continuation goes on from (null when the fan-out reached its end, or was Busy)
     */
    private FanOut.Position dispatch(Event event, FanOut.Position from, Instant deadline) {
        FanOutLeases.Taking taking = leases.take(event.id(), from, "dispatcher-" + (++dispatchers), clock.instant(), deadline);
        FanOutLeases.Lease lease = switch (taking) {
            case FanOutLeases.Taking.Fresh fresh -> fresh.lease();
            case FanOutLeases.Taking.TakenOver over -> over.lease();
            case FanOutLeases.Taking.Busy busy -> null;
        };
        if (lease == null) {
            return null;
        }
        FanOut.FirstAttempt attempts = FanOutLeases.attemptsInPlace(taking, from)
                ? processor.firstAttempts(carrier) : FanOut.FirstAttempt.queued(carrier);
        return new FanOut(subscriptions, attempts, 1, clock).dispatch(event, from, deadline.minus(TIMINGS.dispatchReserve()), lease)
                .continueFrom();
    }

    /**
     * The deliverer runs every job queued (and those they queue), each claiming its record, time
     * moving on to when the next is visible.
     */
    private void runJobs() {
        while (!jobs.isEmpty()) {
            Queued next;
            synchronized (jobs) {
                next = jobs.stream().min(Comparator.comparing(Queued::visibleAt)).orElseThrow();
            }
            advanceTo(next.visibleAt());
            runDueJobs();
        }
    }

    /** The deliverer runs the jobs visible now (and those they queue to be visible now), time standing still. */
    private void runDueJobs() {
        while (true) {
            Queued due;
            synchronized (jobs) {
                due = jobs.stream().filter(queued -> !queued.visibleAt().isAfter(clock.instant())).findFirst().orElse(null);
                if (due == null) {
                    return;
                }
                jobs.remove(due);
            }
            processor.process(due.job(), carrier);
        }
    }

    private void advanceTo(Instant at) {
        if (at.isAfter(clock.instant())) {
            clock.advance(Duration.between(clock.instant(), at));
        }
    }

    @Test
    void aWildcardSubscriberMetAgainByTheContinuationOfAFanOutIsNotSentTwice() {
        // GIVEN connectors subscribed to the event's type and to "*" (the API accepts both)
        String both = connectors(3, TYPE, EventCatalog.WILDCARD).get(0);
        Event event = FanOutTest.event("evt_lease_attack_wildcard", "tech-product");

        // WHEN the event fans out, its time running out right after the first subscriber, and its
        // continuation fans out the rest in the next invocation
        FanOut.Position rest = passRunningOutAfter(both, event, START.plus(INVOCATION));
        advanceTo(clock.instant().plusSeconds(1));
        assertThat(dispatch(event, rest, clock.instant().plus(INVOCATION))).isNull();
        runJobs();

        // THEN every subscriber received the event once: the one met again in the wildcard query too
        assertThat(sent).as("requests per connector").containsOnlyKeys(connectorByUrl.values())
                .allSatisfy((connectorId, requests) -> assertThat(requests).as(connectorId).isEqualTo(1));
    }

    @Test
    void anEventPublishedAgainAfterItsFanOutFinishedIsNotSentAgainThroughAContinuationOfItsJobs() {
        // GIVEN an event with four subscribers, fanned out in two invocations (time ran out after the first)
        List<String> subscribers = connectors(4, TYPE);
        Event event = FanOutTest.event("evt_lease_attack_republished", "tech-product");
        Instant firstDeadline = START.plus(INVOCATION);
        FanOut.Position rest = passRunningOutAfter(subscribers.get(0), event, firstDeadline);
        assertThat(dispatch(event, rest, clock.instant().plus(INVOCATION))).isNull();
        runJobs();
        assertThat(sent.values()).as("the first fan-out sent each once").containsExactly(1, 1, 1, 1);
        assertThat(records.all()).hasSize(4).allSatisfy(r -> assertThat(r.state()).isEqualTo(DeliveryState.SUCCEEDED));

        // WHEN an hour later the publisher sends the same event again (ADR 0019: "goes as jobs that
        // find their records finished"), and the dispatcher queueing those jobs runs out of time
        // after the second subscriber (a big fan-out is what needed a continuation in the first place)
        advanceTo(START.plus(Duration.ofHours(1)));
        Instant againDeadline = clock.instant().plus(INVOCATION);
        FanOut.Position againRest = passRunningOutAfter(subscribers.get(1), event, againDeadline);
        dispatch(event, againRest, clock.instant().plus(INVOCATION));
        runJobs();

        // THEN nothing was sent again: every delivery is finished
        assertThat(sent).as("requests per connector").allSatisfy((connectorId, requests) ->
                assertThat(requests).as(connectorId).isEqualTo(1));
    }

    @Test
    void aCopyOfTheEventsMessageTakenOverWhileItsContinuationIsStillAttemptingDoesNotSendTwice() {
        // GIVEN an event with three subscribers whose first pass ran out of time after the first
        List<String> subscribers = connectors(3, TYPE);
        Event event = FanOutTest.event("evt_lease_attack_copy", "tech-product");
        Instant firstDeadline = START.plus(INVOCATION);
        FanOut.Position rest = passRunningOutAfter(subscribers.get(0), event, firstDeadline);

        // AND while the third subscriber's request is in flight (sent a few seconds before the first
        // dispatcher's end, well within any send deadline), a copy of the event's message arrives
        // (SQS delivers at least once; or the publisher retried) just past that end: the first
        // dispatcher's lease has run out, so the copy's dispatcher takes it over and queues every
        // delivery as a job, and the deliverer runs them at once
        advanceTo(firstDeadline.minusSeconds(5));
        Instant continuationDeadline = clock.instant().plus(INVOCATION);
        duringSendTo.put(subscribers.get(2), () -> {
            advanceTo(firstDeadline.plusSeconds(1));
            assertThat(dispatch(event, FanOut.Position.START, clock.instant().plus(INVOCATION))).isNull();
            runDueJobs();
        });

        // WHEN the continuation fans out the rest
        dispatch(event, rest, continuationDeadline);
        runJobs();

        // THEN each subscriber received the event once
        assertThat(sent).as("requests per connector").containsOnlyKeys(subscribers)
                .allSatisfy((connectorId, requests) -> assertThat(requests).as(connectorId).isEqualTo(1));
    }

    @Test
    void aPacedFirstAttemptPutOffUnderTheLeaseThenTakenOverByACopyIsSentOnce() {
        // GIVEN a Slack connector whose webhook is booked up for the next five minutes
        Connector slack = fixtures.slack();
        connectorByUrl.put(DeliveryFixtures.SLACK_URL, slack.id());
        subscriptions.add(TYPE, slack);
        destinations.book(fixtures.destinationOf(slack), Duration.ofMinutes(5), clock.instant(), Duration.ofMinutes(10));
        Event event = FanOutTest.event("evt_lease_attack_paced", "tech-product");

        // WHEN its first attempt, under the fan-out's lease, is put off to its slot (a job holding the
        // slot, the record pending), and a copy of the event's message comes after the dispatcher's
        // end, before that slot: the lease is taken over and the delivery queued again, without the slot
        Instant deadline = START.plus(INVOCATION);
        assertThat(dispatch(event, FanOut.Position.START, deadline)).isNull();
        assertThat(sent).isEmpty();
        assertThat(records.all()).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(DeliveryState.PENDING));
        advanceTo(deadline.plusSeconds(1));
        assertThat(dispatch(event, FanOut.Position.START, clock.instant().plus(INVOCATION))).isNull();
        runJobs();

        // THEN the delivery was sent once, and its record says so
        assertThat(sent).containsExactly(Map.entry(slack.id(), 1));
        assertThat(records.all()).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(DeliveryState.SUCCEEDED));
    }

    @Test
    void anEventPublishedAgainOnceItsLeaseExpiredIsNotSentAgainWhereItsRecordStillSaysSucceeded() {
        // GIVEN a delivery whose first attempt failed for good (400), retried by hand 25 days later
        // and accepted: its record, written then, is kept 30 days from then
        String connectorId = connectors(1, TYPE).get(0);
        answers.put(connectorId, new java.util.ArrayDeque<>(List.of(400)));
        Event event = FanOutTest.event("evt_lease_attack_expired", "tech-product");
        assertThat(dispatch(event, FanOut.Position.START, START.plus(INVOCATION))).isNull();
        DeliveryRecord failed = records.all().get(0);
        assertThat(failed.state()).isEqualTo(DeliveryState.FAILED);
        advanceTo(START.plus(Duration.ofDays(25)));
        new DeliveryLog(fixtures.connectors, records, events, new DeliveryQueue() {
            @Override
            public void enqueue(List<DeliveryJob> queued) {
                queued.forEach(job -> carrier.carry(job, Duration.ZERO));
            }

            @Override
            public void enqueueLater(DeliveryJob job, Duration delay) {
                carrier.carry(job, delay);
            }

            @Override
            public void retryLater(String receiptHandle, Duration delay) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void deadLetter(DeliveryJob job, String reason) {
                throw new AssertionError("dead-lettered: " + reason);
            }
        }).retry(failed.userId(), failed.connectorId(), failed.deliveryId());
        runJobs();
        assertThat(records.all()).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(DeliveryState.SUCCEEDED));
        assertThat(sent).containsEntry(connectorId, 2);

        // WHEN, 31 days after the event, the fan-out's lease has expired (TTL: 30 days after its lease)
        // and the publisher sends the same event again (the record is there until day 55)
        advanceTo(START.plus(Duration.ofDays(31)));
        leases.expireBy(clock.instant());
        assertThat(records.find(failed.connectorId(), failed.deliveryId())).isPresent();
        dispatch(event, FanOut.Position.START, clock.instant().plus(INVOCATION));
        runJobs();

        // THEN the delivery its record says succeeded is not sent again
        assertThat(sent).as("requests: the first attempt (400) and the manual retry (200)").containsEntry(connectorId, 2);
    }

    @Test
    void aJobRedrivenFromTheDeadLetterQueueDaysLaterIsNotSentAgainWhenItsEventIsPublishedAgain() {
        // GIVEN an event fanned out in two invocations (time ran out after the first subscriber),
        // so the second subscriber's delivery goes as a job; that job crashes the deliverer until
        // SQS moves it, unchanged (no restart asked: a job the deliverer never dead-lettered), to
        // DeliveriesDLQ, which keeps it 14 days
        List<String> subscribers = connectors(2, TYPE);
        Event event = FanOutTest.event("evt_lease_attack_redriven", "tech-product");
        FanOut.Position rest = passRunningOutAfter(subscribers.get(0), event, START.plus(INVOCATION));
        assertThat(dispatch(event, rest, clock.instant().plus(INVOCATION))).isNull();
        assertThat(jobs).singleElement().satisfies(q -> assertThat(q.job().restarts()).isNull());
        Queued crashing = jobs.remove(0);

        // AND on day 13 an operator redrives DeliveriesDLQ (RedriveHandler moves bodies as they are):
        // the job creates its record, SUCCEEDED, kept 30 days from then (to day 43)
        advanceTo(START.plus(Duration.ofDays(13)));
        carrier.carry(crashing.job(), Duration.ZERO);
        runJobs();
        assertThat(sent).containsEntry(subscribers.get(1), 1);
        assertThat(records.find(subscribers.get(1), crashing.job().deliveryId()))
                .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(DeliveryState.SUCCEEDED));

        // WHEN on day 40 (past the records' 30 days and a week from the dispatch, while the
        // redriven job's record lives) the publisher sends the same event again
        advanceTo(START.plus(Duration.ofDays(40)));
        leases.expireBy(clock.instant());
        dispatch(event, FanOut.Position.START, clock.instant().plus(INVOCATION));
        runJobs();

        // THEN the delivery its record says succeeded is not sent again
        assertThat(sent).as("requests to the redriven job's destination").containsEntry(subscribers.get(1), 1);
    }

    /**
     * The event's message dispatched from its start in an invocation ending at {@code deadline},
     * whose time runs out right after it handled {@code connectorId}'s subscription.
     *
     * @return where its continuation goes on from
     */
    private FanOut.Position passRunningOutAfter(String connectorId, Event event, Instant deadline) {
        subscriptions.afterEach = subscription -> {
            if (subscription.connectorId().equals(connectorId)) {
                advanceTo(deadline.minus(TIMINGS.dispatchReserve()));
            }
        };
        FanOut.Position rest = dispatch(event, FanOut.Position.START, deadline);
        subscriptions.afterEach = subscription -> { };
        assertThat(rest).as("the pass ran out of time after " + connectorId).isNotNull();
        return rest;
    }

    /** Subscriptions by event type, in subscriber order, as the subscriptions table's query gives them. */
    private static final class FakeSubscriptions implements SubscriptionStore {
        private final Map<String, TreeMap<String, Subscription>> byType = new HashMap<>();
        /** Runs after each subscription was handled: the dispatcher's time passing. */
        volatile java.util.function.Consumer<Subscription> afterEach = subscription -> { };

        void add(String eventType, Connector connector) {
            byType.computeIfAbsent(eventType, t -> new TreeMap<>()).put(Subscription.subscriberKey(connector.userId(), connector.id()),
                    new Subscription(eventType, connector.userId(), connector.id(), connector.type(), Connector.Status.ACTIVE,
                            EventPattern.everything(), connector.version()));
        }

        @Override
        public void forEach(String eventType, String userId, String afterSubscriber, Predicate<Subscription> action) {
            TreeMap<String, Subscription> all = byType.getOrDefault(eventType, new TreeMap<>());
            for (Subscription subscription : (afterSubscriber == null ? all : all.tailMap(afterSubscriber, false)).values()) {
                if (!action.test(subscription)) {
                    return;
                }
                afterEach.accept(subscription);
            }
        }
    }
}
