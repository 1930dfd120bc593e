package app.connectors.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.config.Settings;
import app.connectors.connector.Connector;
import app.connectors.connector.Subscription;
import app.connectors.delivery.DeliveryOutcome;
import app.connectors.delivery.DeliveryState;
import app.connectors.delivery.DynamoDbSubscriptionStore;
import app.connectors.delivery.FanOut;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.filter.DynamoDbPatternStore;
import app.connectors.filter.EventPattern;
import app.connectors.filter.StoredPatterns;
import app.connectors.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One event fans out to 10,000 subscribed connectors: the dispatcher follows every page of the
 * Subscriptions table's Query (DynamoDB pages at 1 MB) and makes exactly one first attempt per
 * connector. The attempts are counted, not made, so no destination is flooded.
 */
class FanOutScaleIT {

    private static final int SUBSCRIBERS = 10_000;
    /** An event type of the catalog that no other test of the package subscribes to in bulk. */
    private static final String TYPE = "promise.deadline_approaching";

    private static PipelineStack env;
    private static Settings settings;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
        settings = Settings.from(env.stack.environmentOf("DispatcherFunction"));
    }

    @Test
    void oneEventReachesTenThousandConnectorsAcrossQueryPages() throws Exception {
        // GIVEN 10,000 active subscriptions to one type, in the real Subscriptions table
        String runId = Long.toString(System.nanoTime(), 36);
        List<WriteRequest> batch = new ArrayList<>();
        // Every connector filters on its category, as the original form did; the subscriptions name the stored pattern.
        EventPattern filter = EventPattern.load("{\"categories\":[\"tech-product\",\"policy\",\"health\"]}", EventCatalog.standard());
        env.stack.dynamoDb().putItem(r -> r.tableName(settings.filterPatternsTable()).item(DynamoDbPatternStore.item(filter)));
        for (int i = 0; i < SUBSCRIBERS; i++) {
            // Padding makes each item a realistic size, so the Query really needs several 1 MB pages.
            var subscription = new Subscription(TYPE, "scale-" + runId + "-" + (i % 500) + "-" + "p".repeat(60),
                    "c-" + runId + "-" + i, "generic", Connector.Status.ACTIVE, filter, 1);
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Subscription.toItem(subscription)).build()).build());
            if (batch.size() == 25) {
                write(batch);
                batch.clear();
            }
        }
        write(batch);
        List<String> operations = new ArrayList<>();
        DynamoDbClient counted = PipelineStack.countingDynamoDb(settings, operations);
        AtomicInteger queued = new AtomicInteger();
        Set<String> deliveryIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        FanOut fanOut = new FanOut(new DynamoDbSubscriptionStore(counted, settings.subscriptionsTable(),
                new StoredPatterns(new DynamoDbPatternStore(counted, settings.filterPatternsTable()), EventCatalog.standard())), (job, lease) -> {
            queued.incrementAndGet();
            deliveryIds.add(job.deliveryId());
            return new DeliveryOutcome.Done(DeliveryState.SUCCEEDED);
        }, 32, java.time.Clock.systemUTC());
        var example = (com.fasterxml.jackson.databind.node.ObjectNode) EventCatalog.standard().find(TYPE).orElseThrow().example().deepCopy();
        example.put("id", "evt_scale_" + runId);
        Event event = EventParser.standard().parse(Json.write(example));

        // WHEN the event is dispatched
        long started = System.nanoTime();
        FanOut.Result result = fanOut.dispatch(event, FanOut.Position.START, java.time.Instant.now().plus(Duration.ofHours(1)), null);
        long millis = (System.nanoTime() - started) / 1_000_000;

        // THEN every connector gets exactly one job, and the subscribers were read page by page
        assertThat(result.attempted()).isGreaterThanOrEqualTo(SUBSCRIBERS);
        assertThat(queued.get()).isEqualTo(result.attempted());
        assertThat(result.continueFrom()).isNull();
        assertThat(deliveryIds).hasSize(queued.get());
        long queries = operations.stream().filter("Query"::equals).count();
        assertThat(queries).as("Query requests (pages)").isGreaterThan(2);
        assertThat(operations).doesNotContain("Scan");
        assertThat(operations.stream().filter("BatchGetItem"::equals).count()).as("reads of the one shared filter pattern").isEqualTo(1);
        System.out.printf("FanOutScaleIT: %d jobs from %d Query pages in %d ms%n", queued.get(), queries, millis);
    }

    private static void write(List<WriteRequest> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, List<WriteRequest>> pending = Map.of(settings.subscriptionsTable(), List.copyOf(batch));
        while (!pending.isEmpty()) {
            var response = env.stack.dynamoDb().batchWriteItem(
                    software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest.builder().requestItems(pending).build());
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        }
    }
}
