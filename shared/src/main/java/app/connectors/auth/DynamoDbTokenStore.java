package app.connectors.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link TokenStore} on the Tokens table: keyed by the token's SHA-256 (the authorizer's lookup is
 * one consistent GetItem), with the {@code byUser} index (userId, tokenId) for listing and revoking.
 */
public final class DynamoDbTokenStore implements TokenStore {

    public static final String TOKEN_HASH = "tokenHash";
    public static final String TOKEN_ID = "tokenId";
    public static final String USER_ID = "userId";
    public static final String PREFIX = "prefix";
    public static final String NAME = "name";
    public static final String CREATED_AT = "createdAt";
    public static final String LAST_USED_AT = "lastUsedAt";
    public static final String BY_USER_INDEX = "byUser";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbTokenStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void save(StoredToken token) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TOKEN_HASH, AttributeValue.fromS(token.tokenHash()));
        item.put(TOKEN_ID, AttributeValue.fromS(token.tokenId()));
        item.put(USER_ID, AttributeValue.fromS(token.userId()));
        item.put(PREFIX, AttributeValue.fromS(token.prefix()));
        if (token.name() != null) {
            item.put(NAME, AttributeValue.fromS(token.name()));
        }
        item.put(CREATED_AT, AttributeValue.fromS(token.createdAt().toString()));
        dynamoDb.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(" + TOKEN_HASH + ")"));
    }

    @Override
    public Optional<StoredToken> findByHash(String tokenHash) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(Map.of(TOKEN_HASH, AttributeValue.fromS(tokenHash)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public List<StoredToken> listByUser(String userId) {
        List<StoredToken> tokens = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table).indexName(BY_USER_INDEX)
                        .keyConditionExpression("#u = :u")
                        .expressionAttributeNames(Map.of("#u", USER_ID))
                        .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId))))
                .items().forEach(item -> tokens.add(fromItem(item)));
        return tokens;
    }

    @Override
    public boolean delete(String userId, String tokenId) {
        var found = dynamoDb.query(r -> r.tableName(table).indexName(BY_USER_INDEX)
                .keyConditionExpression("#u = :u AND #id = :id")
                .expressionAttributeNames(Map.of("#u", USER_ID, "#id", TOKEN_ID))
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId), ":id", AttributeValue.fromS(tokenId))))
                .items();
        if (found.isEmpty()) {
            return false;
        }
        String hash = found.get(0).get(TOKEN_HASH).s();
        try {
            // The condition re-checks ownership on the base table: the index is only eventually consistent.
            dynamoDb.deleteItem(r -> r.tableName(table).key(Map.of(TOKEN_HASH, AttributeValue.fromS(hash)))
                    .conditionExpression("#u = :u")
                    .expressionAttributeNames(Map.of("#u", USER_ID))
                    .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId))));
            return true;
        } catch (ConditionalCheckFailedException alreadyGone) {
            return false;
        }
    }

    @Override
    public void touch(String tokenHash, Instant now, Duration minInterval) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table)
                    .key(Map.of(TOKEN_HASH, AttributeValue.fromS(tokenHash)))
                    .updateExpression("SET #used = :now")
                    .conditionExpression("attribute_exists(#hash) AND (attribute_not_exists(#used) OR #used < :stale)")
                    .expressionAttributeNames(Map.of("#used", LAST_USED_AT, "#hash", TOKEN_HASH))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString()),
                            ":stale", AttributeValue.fromS(now.minus(minInterval).toString()))));
        } catch (ConditionalCheckFailedException recentlyTouchedOrRevoked) {
            // Expected most of the time: the token was used within minInterval (or revoked meanwhile).
        }
    }

    private static StoredToken fromItem(Map<String, AttributeValue> item) {
        return new StoredToken(
                item.get(TOKEN_ID).s(),
                item.get(USER_ID).s(),
                item.get(TOKEN_HASH).s(),
                item.get(PREFIX).s(),
                item.containsKey(NAME) ? item.get(NAME).s() : null,
                Instant.parse(item.get(CREATED_AT).s()),
                item.containsKey(LAST_USED_AT) ? Instant.parse(item.get(LAST_USED_AT).s()) : null);
    }
}
