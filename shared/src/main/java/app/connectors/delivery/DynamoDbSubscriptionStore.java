package app.connectors.delivery;

import app.connectors.connector.DynamoDbConnectorStore;
import app.connectors.connector.Subscription;
import app.connectors.filter.EventPattern;
import app.connectors.filter.StoredPatterns;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link SubscriptionStore} on the Subscriptions table: a Query per event type (never a Scan),
 * following pages only as far as the caller reads; a user-targeted event narrows the Query to that
 * user's sort-key prefix; a fan-out continued later starts after the subscriber it stopped at.
 * The filter patterns a page names are resolved together (at most one BatchGetItem per 100 patterns
 * not yet known to this execution environment) before its subscriptions are handed on.
 */
public final class DynamoDbSubscriptionStore implements SubscriptionStore {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final StoredPatterns patterns;

    public DynamoDbSubscriptionStore(DynamoDbClient dynamoDb, String table, StoredPatterns patterns) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.patterns = patterns;
    }

    @Override
    public void forEach(String eventType, String userId, String afterSubscriber, Predicate<Subscription> action) {
        Map<String, String> names = new HashMap<>(Map.of("#t", DynamoDbConnectorStore.EVENT_TYPE));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", AttributeValue.fromS(eventType)));
        String condition = "#t = :t";
        if (userId != null) {
            names.put("#s", DynamoDbConnectorStore.SUBSCRIBER);
            values.put(":prefix", AttributeValue.fromS(userId + "#"));
            condition += " AND begins_with(#s, :prefix)";
        }
        String keyCondition = condition;
        for (QueryResponse page : dynamoDb.queryPaginator(r -> {
            r.tableName(table).keyConditionExpression(keyCondition).expressionAttributeNames(names).expressionAttributeValues(values);
            if (afterSubscriber != null) {
                r.exclusiveStartKey(Map.of(DynamoDbConnectorStore.EVENT_TYPE, AttributeValue.fromS(eventType),
                        DynamoDbConnectorStore.SUBSCRIBER, AttributeValue.fromS(afterSubscriber)));
            }
        })) {
            List<Map<String, AttributeValue>> items = page.items();
            Set<String> digests = new HashSet<>();
            items.forEach(item -> Subscription.filterDigest(item).ifPresent(digests::add));
            Map<String, EventPattern> resolved = digests.isEmpty() ? Map.of() : patterns.resolve(digests);
            for (Map<String, AttributeValue> item : items) {
                if (!action.test(Subscription.fromItem(item, resolved))) {
                    return;
                }
            }
        }
    }
}
