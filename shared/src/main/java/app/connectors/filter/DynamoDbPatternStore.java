package app.connectors.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;

/**
 * {@link PatternStore} on the FilterPatterns table ({@code digest} → {@code pattern} JSON). Items are
 * written with their connector, in its transaction ({@link #put}), and never change: the same
 * pattern always has the same digest.
 */
public final class DynamoDbPatternStore implements PatternStore {

    public static final String DIGEST = "digest";
    public static final String PATTERN = "pattern";
    /** BatchGetItem's limit. */
    private static final int BATCH = 100;
    private static final int MAX_ATTEMPTS = 8;

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbPatternStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** The write that stores {@code pattern} (for a transaction); writing it again is harmless. */
    public static Put put(String table, EventPattern pattern) {
        return Put.builder().tableName(table).item(item(pattern)).build();
    }

    public static Map<String, AttributeValue> item(EventPattern pattern) {
        return Map.of(DIGEST, AttributeValue.fromS(pattern.digest()), PATTERN, AttributeValue.fromS(pattern.toString()));
    }

    @Override
    public Map<String, String> find(Set<String> digests) {
        Map<String, String> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String digest : digests) {
            keys.add(Map.of(DIGEST, AttributeValue.fromS(digest)));
            if (keys.size() == BATCH) {
                read(keys, found);
                keys.clear();
            }
        }
        if (!keys.isEmpty()) {
            read(keys, found);
        }
        return found;
    }

    /** One BatchGetItem, following its unprocessed keys (throttling) with a short backoff. */
    private void read(List<Map<String, AttributeValue>> keys, Map<String, String> found) {
        Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(List.copyOf(keys)).build());
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            Map<String, KeysAndAttributes> request = pending;
            BatchGetItemResponse response = dynamoDb.batchGetItem(r -> r.requestItems(request));
            response.responses().getOrDefault(table, List.of())
                    .forEach(item -> found.put(item.get(DIGEST).s(), item.get(PATTERN).s()));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            if (!pending.isEmpty()) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("FilterPatterns reads stay throttled after " + attempt + " attempts");
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(Math.min(1_000L, 10L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading filter patterns", e);
        }
    }
}
