package app.connectors.account;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** {@link UserStore} on the Users table: one item per user, keyed by {@code userId}. */
public final class DynamoDbUserStore implements UserStore {

    public static final String USER_ID = "userId";
    public static final String TIER = "tier";
    public static final String CONNECTOR_COUNT = "connectorCount";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public DynamoDbUserStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<User> find(String userId) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(userId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public UpsertResult upsert(String userId, Tier tier) {
        String now = clock.instant().toString();
        var response = dynamoDb.updateItem(r -> r.tableName(table)
                .key(key(userId))
                .updateExpression("SET #tier = :tier, #updated = :now, #created = if_not_exists(#created, :now), "
                        + "#count = if_not_exists(#count, :zero)")
                .expressionAttributeNames(Map.of("#tier", TIER, "#updated", UPDATED_AT, "#created", CREATED_AT,
                        "#count", CONNECTOR_COUNT))
                .expressionAttributeValues(Map.of(":tier", AttributeValue.fromS(tier.id()), ":now", AttributeValue.fromS(now),
                        ":zero", AttributeValue.fromN("0")))
                .returnValues(ReturnValue.ALL_OLD));
        var old = response.attributes();
        boolean created = old == null || old.isEmpty();
        Tier previous = created ? null : Tier.parse(old.get(TIER).s()).orElse(null);
        return new UpsertResult(find(userId).orElseThrow(), created, previous);
    }

    static Map<String, AttributeValue> key(String userId) {
        return Map.of(USER_ID, AttributeValue.fromS(userId));
    }

    static User fromItem(Map<String, AttributeValue> item) {
        return new User(
                item.get(USER_ID).s(),
                Tier.parse(item.get(TIER).s()).orElse(Tier.FREE),
                item.containsKey(CONNECTOR_COUNT) ? Integer.parseInt(item.get(CONNECTOR_COUNT).n()) : 0,
                Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(UPDATED_AT).s()));
    }
}
