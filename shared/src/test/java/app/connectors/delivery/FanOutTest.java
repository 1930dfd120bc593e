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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FanOutTest {

    private static final String TYPE = "promise.status_changed";

    private final FakeSubscriptions subscriptions = new FakeSubscriptions();
    private final RecordingDeliveryQueue queue = new RecordingDeliveryQueue();
    private final FanOut fanOut = new FanOut(subscriptions, queue);

    @Test
    void queuesOneJobPerActiveSubscriberWithoutFilters() {
        subscriptions.add(TYPE, "u1", "c1", Map.of());
        subscriptions.add(TYPE, "u2", "c2", Map.of());

        FanOut.Result result = fanOut.dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactly("c1", "c2");
        assertThat(result).isEqualTo(new FanOut.Result(2, 0, 0));
    }

    @Test
    void filterMatchesAnyOfTheListedValuesOfAKey() {
        subscriptions.add(TYPE, "u1", "listed-second", Map.of("categories", List.of("politics", "tech-product")));
        subscriptions.add(TYPE, "u1", "not-listed", Map.of("categories", List.of("politics", "health")));

        FanOut.Result result = fanOut.dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactly("listed-second");
        assertThat(result).isEqualTo(new FanOut.Result(1, 0, 1));
    }

    @Test
    void filterNeedsEveryKeyToMatch() {
        subscriptions.add(TYPE, "u1", "both-match", Map.of("categories", List.of("tech-product"),
                "companies", List.of("Acme Mobile")));
        subscriptions.add(TYPE, "u1", "company-differs", Map.of("categories", List.of("tech-product"),
                "companies", List.of("Globex")));
        subscriptions.add(TYPE, "u1", "status-matches-too", Map.of("categories", List.of("tech-product"),
                "statuses", List.of("kept", "broken")));

        fanOut.dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactly("both-match", "status-matches-too");
    }

    @Test
    void eventWithoutTheFilteredAttributeDoesNotMatch() {
        subscriptions.add(TYPE, "u1", "wants-category", Map.of("categories", List.of("tech-product")));

        FanOut.Result result = fanOut.dispatch(event(null, "Acme Mobile", null));

        assertThat(queue.jobs()).isEmpty();
        assertThat(result.filteredOut()).isEqualTo(1);
    }

    @Test
    void contentFilterOnDataDecidesBeforeAnyJobIsQueued() {
        // GIVEN subscriptions whose stored filters are event patterns over the event's data and subject
        subscriptions.add(TYPE, "u1", "kept-or-broken", "{\"data\":{\"status\":[\"kept\",\"broken\"]}}");
        subscriptions.add(TYPE, "u1", "only-broken", "{\"data\":{\"status\":[\"broken\"]}}");
        subscriptions.add(TYPE, "u1", "not-from-in-progress",
                "{\"data\":{\"previousStatus\":[{\"anything-but\":\"in_progress\"}]}}");
        subscriptions.add(TYPE, "u1", "either", "{\"$or\":[{\"data\":{\"status\":[\"broken\"]}},"
                + "{\"subject\":{\"title\":[{\"wildcard\":\"*offline*\"}]}}]}");

        // WHEN an event moving from in_progress to kept fans out
        FanOut.Result result = fanOut.dispatch(event("tech-product", "Acme Mobile", null));

        // THEN only the connectors whose patterns match get a job; the others cost nothing downstream
        assertThat(connectorIds()).containsExactly("kept-or-broken", "either");
        assertThat(result).isEqualTo(new FanOut.Result(2, 0, 2));
    }

        @Test
    void unknownFilterKeyNeverMatches() {
        subscriptions.add(TYPE, "u1", "odd-key", Map.of("colours", List.of("tech-product")));

        fanOut.dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(queue.jobs()).isEmpty();
    }

    @Test
    void skipsDisabledConnectors() {
        subscriptions.add(new Subscription(TYPE, "u1", "off", "slack", Connector.Status.DISABLED, EventPattern.everything(), 3));
        subscriptions.add(TYPE, "u1", "on", Map.of());

        FanOut.Result result = fanOut.dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactly("on");
        assertThat(result).isEqualTo(new FanOut.Result(1, 1, 0));
    }

    @Test
    void userTargetedEventReachesOnlyThatUsersConnectors() {
        subscriptions.add(TYPE, "alice", "alice-1", Map.of());
        subscriptions.add(TYPE, "bob", "bob-1", Map.of());
        subscriptions.add(EventCatalog.WILDCARD, "bob", "bob-all", Map.of());
        subscriptions.add(EventCatalog.WILDCARD, "alice", "alice-all", Map.of());

        fanOut.dispatch(event("tech-product", "Acme Mobile", "alice"));

        assertThat(connectorIds()).containsExactlyInAnyOrder("alice-1", "alice-all");
        assertThat(queue.jobs()).allSatisfy(job -> assertThat(job.userId()).isEqualTo("alice"));
        assertThat(subscriptions.queriedUsers).containsOnly("alice");
    }

    @Test
    void connectorSubscribedToTheTypeAndToEverythingGetsOneJob() {
        subscriptions.add(TYPE, "u1", "both", Map.of());
        subscriptions.add(EventCatalog.WILDCARD, "u1", "both", Map.of());
        subscriptions.add(EventCatalog.WILDCARD, "u1", "everything", Map.of());

        fanOut.dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(connectorIds()).containsExactly("both", "everything");
        assertThat(subscriptions.queriedTypes).containsExactly(TYPE, EventCatalog.WILDCARD);
    }

    @Test
    void connectorSubscribedToAnotherTypeGetsNothing() {
        subscriptions.add("promise.created", "u1", "other-type", Map.of());

        FanOut.Result result = fanOut.dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(queue.jobs()).isEmpty();
        assertThat(result).isEqualTo(new FanOut.Result(0, 0, 0));
    }

    @Test
    void jobsCarryTheEventAndADeterministicDeliveryId() {
        subscriptions.add(TYPE, "u1", "c1", Map.of());
        subscriptions.add(TYPE, "u1", "c2", Map.of());
        Event event = event("tech-product", "Acme Mobile", null);

        fanOut.dispatch(event);
        fanOut.dispatch(event);

        List<DeliveryJob> jobs = queue.jobs();
        assertThat(jobs).hasSize(4);
        assertThat(jobs.get(0).deliveryId()).isEqualTo(jobs.get(2).deliveryId())
                .isEqualTo(DeliveryJob.deliveryIdOf(event.id(), "c1")).startsWith("dlv_").hasSize(4 + 32);
        assertThat(jobs.get(1).deliveryId()).isEqualTo(DeliveryJob.deliveryIdOf(event.id(), "c2"))
                .isNotEqualTo(jobs.get(0).deliveryId());
        assertThat(jobs.get(0).event()).isEqualTo(event);
        assertThat(jobs.get(0).manual()).isFalse();
    }

    @Test
    void manySubscribersAreQueuedInChunksOfAHundred() {
        for (int i = 0; i < 250; i++) {
            subscriptions.add(TYPE, "u" + (i % 7), "c" + i, Map.of());
        }

        FanOut.Result result = fanOut.dispatch(event("tech-product", "Acme Mobile", null));

        assertThat(queue.batches).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(queue.jobs()).extracting(DeliveryJob::connectorId).doesNotHaveDuplicates().hasSize(250);
        assertThat(result.queued()).isEqualTo(250);
    }

    @Test
    void jobSurvivesItsJsonRoundTrip() throws InvalidEventException {
        DeliveryJob job = DeliveryJob.of(event("tech-product", "Acme Mobile", "alice"), "alice", "c1").asManualRetry(2);

        DeliveryJob read = DeliveryJob.fromJson(job.toJson());

        assertThat(read).isEqualTo(job);
    }

    private List<String> connectorIds() {
        return queue.jobs().stream().map(DeliveryJob::connectorId).toList();
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
        public void forEach(String eventType, String userId, Consumer<Subscription> action) {
            queriedTypes.add(eventType);
            queriedUsers.add(userId);
            all.stream().filter(s -> s.eventType().equals(eventType))
                    .filter(s -> userId == null || s.userId().equals(userId))
                    .forEach(action);
        }
    }
}
