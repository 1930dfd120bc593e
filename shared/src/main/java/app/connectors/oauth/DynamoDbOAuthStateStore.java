package app.connectors.oauth;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link OAuthStateStore} on the Portal table: one item per pending flow, {@code state#<sha256 of the
 * state's id>}, with the table's TTL attribute. A take is one conditional DeleteItem returning the
 * old item, so a replayed state finds nothing.
 */
public final class DynamoDbOAuthStateStore implements OAuthStateStore {

    static final String KEY = "id";
    static final String PREFIX = "state#";
    static final String USER_ID = "userId";
    static final String SESSION_HASH = "sessionHash";
    static final String PROVIDER = "provider";
    static final String REQUEST = "request";
    static final String REDIRECT_URI = "redirectUri";
    static final String CREATED_AT = "createdAt";
    static final String EXPIRES_AT = "expiresAt";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbOAuthStateStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void save(PendingConnect pending) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(PREFIX + pending.stateHash()));
        item.put(USER_ID, AttributeValue.fromS(pending.userId()));
        item.put(SESSION_HASH, AttributeValue.fromS(pending.sessionHash()));
        item.put(PROVIDER, AttributeValue.fromS(pending.provider()));
        item.put(REQUEST, AttributeValue.fromS(pending.request()));
        item.put(REDIRECT_URI, AttributeValue.fromS(pending.redirectUri()));
        item.put(CREATED_AT, AttributeValue.fromS(pending.createdAt().toString()));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(pending.expiresAt().getEpochSecond())));
        dynamoDb.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", KEY)));
    }

    @Override
    public Optional<PendingConnect> take(String stateHash) {
        try {
            var deleted = dynamoDb.deleteItem(r -> r.tableName(table)
                    .key(Map.of(KEY, AttributeValue.fromS(PREFIX + stateHash)))
                    .conditionExpression("attribute_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", KEY))
                    .returnValues(ReturnValue.ALL_OLD));
            Map<String, AttributeValue> item = deleted.attributes();
            return Optional.of(new PendingConnect(stateHash, item.get(USER_ID).s(), item.get(SESSION_HASH).s(),
                    item.get(PROVIDER).s(), item.get(REQUEST).s(), item.get(REDIRECT_URI).s(),
                    Instant.parse(item.get(CREATED_AT).s()), Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n()))));
        } catch (ConditionalCheckFailedException usedOrUnknown) {
            return Optional.empty();
        }
    }
}
