package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.connector.Connector;
import app.connectors.connector.Subscription;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.filter.EventPattern;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import app.connectors.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class FanOutTest {

    private static final String TYPE = "promise.status_changed";
    private static final Instant START = DeliveryFixtures.START;
    private static final Instant LATER = START.plus(Duration.ofHours(1));

    private final FakeSubscriptions subscriptions = new FakeSubscriptions();
    private final List<DeliveryJob> attempted = Collections.synchronizedList(new ArrayList<>());
    private final MutableClock clock = new MutableClock(START);
    private volatile DeliveryOutcome answer = new DeliveryOutcome.Done(DeliveryState.SUCCEEDED);
    private final FanOut fanOut = new FanOut(subscriptions, (job, lease) -> {
        attempted.add(job);
        return answer;
    }, 4, clock);

    private FanOut.Result dispatch(Event event) {
        return fanOut.dispatch(event, FanOut.Position.START, LATER, null);
    }

    @Test
    void makesTheFirstAttemptOfEveryActiveSubscriberWithoutFilters() {
        subscriptions.add(TYPE, "u1", "c1", Map.of());
        subscriptions.add(TYPE, "u2", "c2", Map.of());

        FanOut.Result result = dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactlyInAnyOrder("c1", "c2");
        assertThat(result).isEqualTo(new FanOut.Result(2, 0, 0, 0, null));
        assertThat(result.settled()).isTrue();
    }

    @Test
    void filterMatchesAnyOfTheListedValuesOfAKey() {
        subscriptions.add(TYPE, "u1", "listed-second", Map.of("categories", List.of("politics", "tech-product")));
        subscriptions.add(TYPE, "u1", "not-listed", Map.of("categories", List.of("politics", "health")));

        FanOut.Result result = dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactly("listed-second");
        assertThat(result).isEqualTo(new FanOut.Result(1, 0, 1, 0, null));
    }

    @Test
    void filterNeedsEveryKeyToMatch() {
        subscriptions.add(TYPE, "u1", "both-match", Map.of("categories", List.of("tech-product"),
                "companies", List.of("Acme Mobile")));
        subscriptions.add(TYPE, "u1", "company-differs", Map.of("categories", List.of("tech-product"),
                "companies", List.of("Globex")));
        subscriptions.add(TYPE, "u1", "status-matches-too", Map.of("categories", List.of("tech-product"),
                "statuses", List.of("kept", "broken")));

        dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactlyInAnyOrder("both-match", "status-matches-too");
    }

    @Test
    void eventWithoutTheFilteredAttributeDoesNotMatch() {
        subscriptions.add(TYPE, "u1", "wants-category", Map.of("categories", List.of("tech-product")));

        FanOut.Result result = dispatch(event(null, "Acme Mobile", null));

        assertThat(attempted).isEmpty();
        assertThat(result.filteredOut()).isEqualTo(1);
    }

    @Test
    void contentFilterOnDataDecidesBeforeAnyAttempt() {
        // GIVEN subscriptions whose stored filters are event patterns over the event's data and subject
        subscriptions.add(TYPE, "u1", "kept-or-broken", "{\"data\":{\"status\":[\"kept\",\"broken\"]}}");
        subscriptions.add(TYPE, "u1", "only-broken", "{\"data\":{\"status\":[\"broken\"]}}");
        subscriptions.add(TYPE, "u1", "not-from-in-progress",
                "{\"data\":{\"previousStatus\":[{\"anything-but\":\"in_progress\"}]}}");
        subscriptions.add(TYPE, "u1", "either", "{\"$or\":[{\"data\":{\"status\":[\"broken\"]}},"
                + "{\"subject\":{\"title\":[{\"wildcard\":\"*offline*\"}]}}]}");

        // WHEN an event moving from in_progress to kept fans out
        FanOut.Result result = dispatch(event("tech-product", "Acme Mobile", null));

        // THEN only the connectors whose patterns match get an attempt; the others cost nothing downstream
        assertThat(connectorIds()).containsExactlyInAnyOrder("kept-or-broken", "either");
        assertThat(result).isEqualTo(new FanOut.Result(2, 0, 2, 0, null));
    }

    @Test
    void unknownFilterKeyNeverMatches() {
        subscriptions.add(TYPE, "u1", "odd-key", Map.of("colours", List.of("tech-product")));

        dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(attempted).isEmpty();
    }

    @Test
    void skipsDisabledConnectors() {
        subscriptions.add(new Subscription(TYPE, "u1", "off", "slack", Connector.Status.DISABLED, EventPattern.everything(), 3));
        subscriptions.add(TYPE, "u1", "on", Map.of());

        FanOut.Result result = dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactly("on");
        assertThat(result).isEqualTo(new FanOut.Result(1, 1, 0, 0, null));
    }

    @Test
    void userTargetedEventReachesOnlyThatUsersConnectors() {
        subscriptions.add(TYPE, "alice", "alice-1", Map.of());
        subscriptions.add(TYPE, "bob", "bob-1", Map.of());
        subscriptions.add(EventCatalog.WILDCARD, "bob", "bob-all", Map.of());
        subscriptions.add(EventCatalog.WILDCARD, "alice", "alice-all", Map.of());

        dispatch(event("tech-product", "Acme Mobile", "alice"));

        assertThat(connectorIds()).containsExactlyInAnyOrder("alice-1", "alice-all");
        assertThat(attempted).allSatisfy(job -> assertThat(job.userId()).isEqualTo("alice"));
        assertThat(subscriptions.queriedUsers).containsOnly("alice");
    }

    @Test
    void connectorSubscribedToTheTypeAndToEverythingGetsOneAttempt() {
        subscriptions.add(TYPE, "u1", "both", Map.of());
        subscriptions.add(EventCatalog.WILDCARD, "u1", "both", Map.of());
        subscriptions.add(EventCatalog.WILDCARD, "u1", "everything", Map.of());

        dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactlyInAnyOrder("both", "everything");
        assertThat(subscriptions.queriedTypes).containsExactly(TYPE, EventCatalog.WILDCARD);
    }

    @Test
    void connectorSubscribedToAnotherTypeGetsNothing() {
        subscriptions.add("promise.created", "u1", "other-type", Map.of());

        FanOut.Result result = dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(attempted).isEmpty();
        assertThat(result).isEqualTo(new FanOut.Result(0, 0, 0, 0, null));
    }

    @Test
    void jobsCarryTheEventAndADeterministicTimeOrderedDeliveryId() {
        subscriptions.add(TYPE, "u1", "c1", Map.of());
        Event event = event("tech-product", "Acme Mobile", null);

        dispatch(event);
        dispatch(event);

        assertThat(attempted).hasSize(2);
        String id = attempted.get(0).deliveryId();
        assertThat(id).isEqualTo(attempted.get(1).deliveryId()).isEqualTo(DeliveryJob.deliveryIdOf(event, "c1"))
                .matches("dlv_[0-9a-f]{32}").startsWith("dlv_" + String.format("%012x", event.occurredAt().toEpochMilli()));
        assertThat(DeliveryJob.deliveryIdOf(event, "c2")).isNotEqualTo(id);
        assertThat(attempted.get(0).event()).isEqualTo(event);
        assertThat(attempted.get(0).restarts()).isNull();
    }

    @Test
    void eachAttemptSaysWhichAlternativeOfItsConnectorsFilterLetTheEventThrough() {
        subscriptions.add(TYPE, "u1", "either", """
                {"$or":[{"attributes":{"category":["politics"]}},{"attributes":{"company":["Acme Mobile"]}}]}""");
        subscriptions.add(TYPE, "u1", "plain", Map.of("categories", List.of("tech-product")));

        dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(attempted).extracting(DeliveryJob::connectorId, DeliveryJob::matchedAlternative)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("either", "$or[1]"),
                        org.assertj.core.groups.Tuple.tuple("plain", null));
        // and the job carries it on the queue
        DeliveryJob either = attempted.stream().filter(j -> j.connectorId().equals("either")).findFirst().orElseThrow();
        assertThat(roundTrip(either).matchedAlternative()).isEqualTo("$or[1]");
    }

    private static DeliveryJob roundTrip(DeliveryJob job) {
        try {
            return DeliveryJob.fromJson(job.toJson());
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anAttemptThatCouldNotRecordItsProgressLeavesTheEventUnsettled() {
        subscriptions.add(TYPE, "u1", "c1", Map.of());
        answer = new DeliveryOutcome.Kept("DynamoDB unreachable");

        FanOut.Result result = dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(result.unsettled()).isEqualTo(1);
        assertThat(result.settled()).isFalse();
    }

    @Test
    void anAttemptThatDiedWithAnErrorLeavesTheEventUnsettled() {
        subscriptions.add(TYPE, "u1", "c1", Map.of());
        FanOut dying = new FanOut(subscriptions, (job, lease) -> {
            throw new StackOverflowError();
        }, 4, clock);

        FanOut.Result result = dying.dispatch(event("tech-product", "Acme Mobile", null), FanOut.Position.START, LATER, null);

        assertThat(result.settled()).isFalse();
    }

    @Test
    void pastItsDeadlineTheFanOutStopsAndSaysWhereToGoOnFrom() {
        // GIVEN 250 subscribers, and time running out after the hundredth attempt started
        for (int i = 0; i < 250; i++) {
            subscriptions.add(TYPE, "u", String.format("c%03d", i), Map.of());
        }
        FanOut slow = new FanOut(subscriptions, (job, lease) -> {
            synchronized (attempted) {
                attempted.add(job);
                if (attempted.size() == 100) {
                    clock.advance(Duration.ofHours(2));
                }
            }
            return answer;
        }, 1, clock);
        Event event = event("tech-product", "Acme Mobile", null);

        // WHEN it fans out, and then a continuation goes on from where it stopped
        FanOut.Result first = slow.dispatch(event, FanOut.Position.START, LATER, null);
        FanOut.Result rest = slow.dispatch(event, first.continueFrom(), clock.instant().plus(Duration.ofHours(1)), null);

        // THEN every subscriber got exactly one first attempt between the two
        assertThat(first.attempted()).isEqualTo(100);
        assertThat(first.continueFrom()).isEqualTo(new FanOut.Position(false, "u#c099"));
        assertThat(rest.continueFrom()).isNull();
        assertThat(connectorIds()).doesNotHaveDuplicates().hasSize(250);
    }

    @Test
    void attemptsRunConcurrentlyButNoMoreThanTheLimit() throws Exception {
        for (int i = 0; i < 40; i++) {
            subscriptions.add(TYPE, "u", "c" + i, Map.of());
        }
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch fourAtOnce = new java.util.concurrent.CountDownLatch(4);
        FanOut limited = new FanOut(subscriptions, (job, lease) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            fourAtOnce.countDown();
            try {
                fourAtOnce.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return answer;
        }, 4, clock);

        FanOut.Result result = limited.dispatch(event("tech-product", "Acme Mobile", null), FanOut.Position.START, LATER, null);

        assertThat(result.attempted()).isEqualTo(40);
        assertThat(most.get()).isEqualTo(4);
    }

    @Test
    void jobSurvivesItsJsonRoundTrip() throws InvalidEventException {
        DeliveryJob job = DeliveryJob.of(event("tech-product", "Acme Mobile", "alice"), "alice", "c1").restarting(2)
                .holding(Instant.parse("2026-03-01T10:00:09.400Z"));

        DeliveryJob read = DeliveryJob.fromJson(job.toJson());

        assertThat(read).isEqualTo(job);
        assertThat(DeliveryJob.fromJson(job.referencingEvent().toJson())).isEqualTo(job.referencingEvent());
    }

    @Test
    void jobsWrittenBeforeTheStateMachineAreReadAsTheRestartTheyAskedFor() throws InvalidEventException {
        String event = Json.write(app.connectors.event.EventJson.write(event("tech-product", "Acme Mobile", null)));
        String manual = "{\"deliveryId\":\"dlv_1\",\"userId\":\"u\",\"connectorId\":\"c\",\"event\":" + event
                + ",\"manual\":true,\"series\":3}";
        String deadLettered = "{\"deliveryId\":\"dlv_1\",\"userId\":\"u\",\"connectorId\":\"c\",\"event\":" + event
                + ",\"series\":2}";

        assertThat(DeliveryJob.fromJson(manual).restarts()).isEqualTo(2);
        assertThat(DeliveryJob.fromJson(deadLettered).restarts()).isEqualTo(2);
    }

    private List<String> connectorIds() {
        synchronized (attempted) {
            return attempted.stream().map(DeliveryJob::connectorId).toList();
        }
    }

    /** The catalog's example with its own id. */
    static Event event(String id, String category) {
        Event example = event(category, "Acme Mobile", null);
        ObjectNode envelope = app.connectors.event.EventJson.write(example);
        envelope.put("id", id);
        try {
            return EventParser.standard().parse(Json.write(envelope));
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }

    static Event event(String category, String company, String userId) {
        ObjectNode envelope = EventCatalog.standard().find(TYPE).orElseThrow().example().deepCopy();
        ObjectNode attributes = Json.object();
        if (category != null) {
            attributes.put("category", category);
        }
        if (company != null) {
            attributes.put("company", company);
        }
        envelope.set("attributes", attributes);
        if (userId != null) {
            envelope.put("userId", userId);
        }
        try {
            return EventParser.standard().parse(Json.write(envelope));
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }

    /** Answers like the Subscriptions table: by event type, and by owner when one is given. */
    private static final class FakeSubscriptions implements SubscriptionStore {
        private final List<Subscription> all = new ArrayList<>();
        final List<String> queriedTypes = new ArrayList<>();
        final List<String> queriedUsers = new ArrayList<>();

        /** A subscription whose filters were stored in the original {"categories": […]} form. */
        void add(String type, String userId, String connectorId, Map<String, List<String>> filters) {
            add(type, userId, connectorId, Json.write(filters));
        }

        /** A subscription as the store reads it: the filter's stored JSON, compiled on load. */
        void add(String type, String userId, String connectorId, String storedFilter) {
            add(new Subscription(type, userId, connectorId, "slack", Connector.Status.ACTIVE,
                    EventPattern.load(storedFilter, EventCatalog.standard()), 1));
        }

        void add(Subscription subscription) {
            all.add(subscription);
        }

        @Override
        public void forEach(String eventType, String userId, String afterSubscriber, Predicate<Subscription> action) {
            queriedTypes.add(eventType);
            queriedUsers.add(userId);
            List<Subscription> matching = all.stream().filter(s -> s.eventType().equals(eventType))
                    .filter(s -> userId == null || s.userId().equals(userId))
                    .sorted(java.util.Comparator.comparing((Subscription s) -> Subscription.subscriberKey(s.userId(), s.connectorId())))
                    .filter(s -> afterSubscriber == null
                            || Subscription.subscriberKey(s.userId(), s.connectorId()).compareTo(afterSubscriber) > 0)
                    .toList();
            for (Subscription s : matching) {
                if (!action.test(s)) {
                    return;
                }
            }
        }
    }
}
