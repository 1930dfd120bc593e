package app.connectors.delivery;

import app.connectors.connector.DynamoDbConnectorStore;
import app.connectors.connector.Subscription;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link SubscriptionStore} on the Subscriptions table: a Query per event type (never a Scan),
 * following every page; a user-targeted event narrows the Query to that user's sort-key prefix.
 */
public final class DynamoDbSubscriptionStore implements SubscriptionStore {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbSubscriptionStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void forEach(String eventType, String userId, Consumer<Subscription> action) {
        Map<String, String> names = new HashMap<>(Map.of("#t", DynamoDbConnectorStore.EVENT_TYPE));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", AttributeValue.fromS(eventType)));
        String condition = "#t = :t";
        if (userId != null) {
            names.put("#s", DynamoDbConnectorStore.SUBSCRIBER);
            values.put(":prefix", AttributeValue.fromS(userId + "#"));
            condition += " AND begins_with(#s, :prefix)";
        }
        String keyCondition = condition;
        dynamoDb.queryPaginator(r -> r.tableName(table).keyConditionExpression(keyCondition)
                        .expressionAttributeNames(names).expressionAttributeValues(values))
                .items().forEach(item -> action.accept(Subscription.fromItem(item)));
    }
}
