package app.connectors.portal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link PortalStore} on the Portal table. One item per link code ({@code link#<sha256>}) and per
 * session ({@code session#<sha256>}); {@code expiresAt} (epoch seconds) is the table's TTL attribute,
 * which only cleans up: DynamoDB deletes expired items late, so every read checks the time itself.
 */
public final class DynamoDbPortalStore implements PortalStore {

    public static final String KEY = "id";
    public static final String USER_ID = "userId";
    public static final String CREATED_AT = "createdAt";
    public static final String LAST_SEEN_AT = "lastSeenAt";
    public static final String USED_AT = "usedAt";
    /** Epoch seconds; the table's TimeToLiveSpecification names this attribute. */
    public static final String EXPIRES_AT = "expiresAt";
    static final String LINK = "link#";
    static final String SESSION = "session#";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbPortalStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void saveLink(LinkCode link) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(LINK + link.codeHash()));
        item.put(USER_ID, AttributeValue.fromS(link.userId()));
        item.put(CREATED_AT, AttributeValue.fromS(link.createdAt().toString()));
        item.put(EXPIRES_AT, epochSeconds(link.expiresAt()));
        dynamoDb.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", KEY)));
    }

    @Override
    public Redemption redeemLink(String codeHash, Instant now) {
        try {
            var updated = dynamoDb.updateItem(r -> r.tableName(table)
                    .key(key(LINK + codeHash))
                    .updateExpression("SET #used = :now")
                    .conditionExpression("attribute_exists(#k) AND attribute_not_exists(#used) AND #exp > :nowSeconds")
                    .expressionAttributeNames(Map.of("#k", KEY, "#used", USED_AT, "#exp", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString()),
                            ":nowSeconds", epochSeconds(now)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Redemption.Redeemed(link(codeHash, updated.attributes()));
        } catch (ConditionalCheckFailedException refused) {
            Map<String, AttributeValue> item = refused.item();
            if (item == null || item.isEmpty()) {
                return new Redemption.Unknown();
            }
            return item.containsKey(USED_AT) ? new Redemption.AlreadyUsed() : new Redemption.Expired();
        }
    }

    @Override
    public Optional<StoredLink> findLink(String codeHash) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(LINK + codeHash)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StoredLink(link(codeHash, item), item.containsKey(USED_AT)));
    }

    @Override
    public void saveSession(PortalSession session) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(SESSION + session.tokenHash()));
        item.put(USER_ID, AttributeValue.fromS(session.userId()));
        item.put(CREATED_AT, AttributeValue.fromS(session.createdAt().toString()));
        item.put(LAST_SEEN_AT, AttributeValue.fromS(session.lastSeenAt().toString()));
        item.put(EXPIRES_AT, epochSeconds(session.expiresAt()));
        dynamoDb.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", KEY)));
    }

    @Override
    public Optional<PortalSession> findSession(String tokenHash) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(SESSION + tokenHash)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PortalSession(tokenHash, item.get(USER_ID).s(), Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(LAST_SEEN_AT).s()), Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n()))));
    }

    @Override
    public void touchSession(String tokenHash, Instant lastSeenAt) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table)
                    .key(key(SESSION + tokenHash))
                    .updateExpression("SET #seen = :seen")
                    .conditionExpression("attribute_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", KEY, "#seen", LAST_SEEN_AT))
                    .expressionAttributeValues(Map.of(":seen", AttributeValue.fromS(lastSeenAt.toString()))));
        } catch (ConditionalCheckFailedException loggedOutMeanwhile) {
            // The session was deleted between the read and this write; it stays deleted.
        }
    }

    @Override
    public void deleteSession(String tokenHash) {
        dynamoDb.deleteItem(r -> r.tableName(table).key(key(SESSION + tokenHash)));
    }

    private static LinkCode link(String codeHash, Map<String, AttributeValue> item) {
        return new LinkCode(codeHash, item.get(USER_ID).s(), Instant.parse(item.get(CREATED_AT).s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())));
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of(KEY, AttributeValue.fromS(id));
    }

    static AttributeValue epochSeconds(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.getEpochSecond()));
    }
}
