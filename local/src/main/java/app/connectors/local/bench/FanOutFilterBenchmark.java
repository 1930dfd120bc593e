package app.connectors.local.bench;

import app.connectors.config.Settings;
import app.connectors.connector.Connector;
import app.connectors.connector.Subscription;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryQueue;
import app.connectors.delivery.DynamoDbSubscriptionStore;
import app.connectors.delivery.FanOut;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.filter.DynamoDbPatternStore;
import app.connectors.filter.EventPattern;
import app.connectors.filter.StoredPatterns;
import app.connectors.json.Json;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What content filters add to a big fan-out, in the shape of FanOutScaleIT: one event dispatched to
 * N connectors (default 10,000) read page by page from the Subscriptions table on DynamoDB Local,
 * jobs counted instead of sent. Three sets of N subscriptions, each under its own user so that one
 * user-targeted event reads exactly one set:
 * <ul>
 *   <li>{@code none}: no filter ({@code {}}), the baseline;
 *   <li>{@code shared}: every connector has the same 10-field pattern ({@link FilterBenchmark#TEN_FIELD_PATTERN});
 *   <li>{@code unique}: every connector has its own 10-field pattern (one extra listed value differs),
 *       so nothing compiled for one connector serves another.
 * </ul>
 * Every pattern matches the event, so every connector is queued in all three and each pattern is
 * evaluated in full. Subscription items name their pattern by digest; the patterns are read from the
 * FilterPatterns table once per execution environment (the "cold" line shows that first dispatch). Rounds interleave the three sets (rotating which goes first) so that they share
 * the machine's conditions; the figure is each set's median minus the baseline's median.
 *
 * <pre>
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.FanOutFilterBenchmark --connectors 10000 --rounds 15
 * </pre>
 */
public final class FanOutFilterBenchmark {

    private static final int FIRST_ATTEMPTS_AT_ONCE = app.connectors.config.Components.FIRST_ATTEMPTS_AT_ONCE;

    private static final String TYPE = "promise.status_changed";
    private static final List<String> SETS = List.of("none", "shared", "unique");

    private FanOutFilterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connectors = 10_000;
        int rounds = 9;
        int warmup = 2;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--connectors" -> connectors = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --connectors N --rounds R --warmup W");
            }
        }
        LocalStackOptions options = LocalStackOptions.forTests(Path.of("template.yaml")).withGateway(false).withPollers(false);
        try (LocalStack stack = LocalStack.start(options)) {
            Settings settings = Settings.from(stack.environmentOf("DispatcherFunction"));
            DynamoDbClient dynamoDb = stack.dynamoDb();
            String run = Long.toString(System.nanoTime(), 36);
            for (String set : SETS) {
                List<Subscription> subscriptions = subscriptions(set, user(run, set), connectors);
                write(dynamoDb, settings.subscriptionsTable(), subscriptions.stream().map(Subscription::toItem).toList());
                // The patterns, as the connectors' own transactions would have written them.
                write(dynamoDb, settings.filterPatternsTable(), subscriptions.stream().filter(s -> !s.filters().isEmpty())
                        .map(s -> DynamoDbPatternStore.item(s.filters())).distinct().toList());
            }
            AtomicInteger queued = new AtomicInteger();
            // First attempts are counted, not made: what is measured is finding and matching the subscribers.
            FanOut.FirstAttempt counting = (job, lease) -> {
                queued.incrementAndGet();
                return new app.connectors.delivery.DeliveryOutcome.Done(app.connectors.delivery.DeliveryState.SUCCEEDED);
            };
            // Cold: an execution environment that has read no pattern yet (one dispatch per set, each with a
            // fresh cache), after one throwaway dispatch per set so that the JIT is not what is measured.
            for (String set : SETS) {
                new FanOut(new DynamoDbSubscriptionStore(dynamoDb, settings.subscriptionsTable(),
                        new StoredPatterns(new DynamoDbPatternStore(dynamoDb, settings.filterPatternsTable()), EventCatalog.standard())),
                        counting, FIRST_ATTEMPTS_AT_ONCE, java.time.Clock.systemUTC()).dispatch(event(user(run, set), -2));
            }
            Map<String, Long> cold = new LinkedHashMap<>();
            for (String set : SETS) {
                FanOut fresh = new FanOut(new DynamoDbSubscriptionStore(dynamoDb, settings.subscriptionsTable(),
                        new StoredPatterns(new DynamoDbPatternStore(dynamoDb, settings.filterPatternsTable()), EventCatalog.standard())),
                        counting, FIRST_ATTEMPTS_AT_ONCE, java.time.Clock.systemUTC());
                queued.set(0);
                long started = System.nanoTime();
                fresh.dispatch(event(user(run, set), -1));
                cold.put(set, (System.nanoTime() - started) / 1_000_000);
            }
            FanOut fanOut = new FanOut(new DynamoDbSubscriptionStore(dynamoDb, settings.subscriptionsTable(),
                    new StoredPatterns(new DynamoDbPatternStore(dynamoDb, settings.filterPatternsTable()), EventCatalog.standard())),
                    counting, FIRST_ATTEMPTS_AT_ONCE, java.time.Clock.systemUTC());
            Map<String, List<Long>> millis = new LinkedHashMap<>();
            Map<String, List<Long>> cpuMillis = new LinkedHashMap<>();
            SETS.forEach(set -> millis.put(set, new ArrayList<>()));
            SETS.forEach(set -> cpuMillis.put(set, new ArrayList<>()));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int round = 0; round < warmup + rounds; round++) {
                for (int k = 0; k < SETS.size(); k++) {
                    String set = SETS.get((round + k) % SETS.size());
                    Event event = event(user(run, set), round);
                    queued.set(0);
                    long cpuStarted = threads.getCurrentThreadCpuTime();
                    long started = System.nanoTime();
                    FanOut.Result result = fanOut.dispatch(event);
                    long took = (System.nanoTime() - started) / 1_000_000;
                    long cpu = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1_000_000;
                    if (result.attempted() != connectors || queued.get() != connectors) {
                        throw new IllegalStateException(set + ": attempted " + result.attempted() + " of " + connectors);
                    }
                    if (round >= warmup) {
                        millis.get(set).add(took);
                        cpuMillis.get(set).add(cpu);
                    }
                }
            }
            long baseline = median(millis.get("none"));
            System.out.printf("fan-out of one event to %,d connectors, cold (first dispatch of an execution environment, ms): %s%n",
                    connectors, cold);
            System.out.printf("fan-out of one event to %,d connectors, %d rounds after %d warm-up (ms)%n", connectors, rounds, warmup);
            for (String set : SETS) {
                List<Long> sorted = millis.get(set).stream().sorted().toList();
                System.out.printf("  %-7s median %5d  min %5d  max %5d  added over none: %+d ms   all: %s%n", set, median(sorted),
                        sorted.get(0), sorted.get(sorted.size() - 1), median(sorted) - baseline, millis.get(set));
            }
            // The dispatching thread's own CPU (SDK unmarshalling, pattern resolution, matching, job building);
            // DynamoDB Local's work runs on its own threads and is not in it, nor is waiting for the machine.
            long cpuBaseline = median(cpuMillis.get("none"));
            System.out.printf("dispatching thread CPU (ms)%n");
            for (String set : SETS) {
                System.out.printf("  %-7s median %5d  added over none: %+d ms   all: %s%n", set, median(cpuMillis.get(set)),
                        median(cpuMillis.get(set)) - cpuBaseline, cpuMillis.get(set));
            }
        }
    }

    private static String user(String run, String set) {
        return "bench-" + run + "-" + set;
    }

    private static List<Subscription> subscriptions(String set, String userId, int count) {
        List<Subscription> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EventPattern filter = switch (set) {
                case "none" -> EventPattern.everything();
                case "shared" -> FilterBenchmark.compile(FilterBenchmark.parse(FilterBenchmark.TEN_FIELD_PATTERN));
                default -> {
                    ObjectNode pattern = (ObjectNode) FilterBenchmark.parse(FilterBenchmark.TEN_FIELD_PATTERN);
                    ((ArrayNode) pattern.with("subject").get("status")).add("status-" + i);
                    yield FilterBenchmark.compile(pattern);
                }
            };
            out.add(new Subscription(TYPE, userId, "c-" + set + "-" + i, "generic", Connector.Status.ACTIVE, filter, 1));
        }
        return out;
    }

    private static Event event(String userId, int round) throws Exception {
        ObjectNode envelope = (ObjectNode) Json.parse(FilterBenchmark.oneKilobyteEvent());
        envelope.put("id", "evt_bench_" + userId + "_" + round).put("userId", userId);
        return EventParser.standard().parse(Json.write(envelope));
    }

    private static void write(DynamoDbClient dynamoDb, String table, List<Map<String, AttributeValue>> items) {
        List<WriteRequest> batch = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == 25) {
                flush(dynamoDb, table, batch);
                batch.clear();
            }
        }
        flush(dynamoDb, table, batch);
    }

    private static void flush(DynamoDbClient dynamoDb, String table, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = batch.isEmpty() ? Map.of() : Map.of(table, List.copyOf(batch));
        while (!pending.isEmpty()) {
            var response = dynamoDb.batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        }
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
