package app.connectors.idempotency;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link IdempotencyStore} on the IdempotencyKeys table: keyed by (userId, idempotencyKey), with the
 * table's TTL on {@code ttl} (epoch seconds of {@code expiresAt}) so DynamoDB removes old keys; a
 * record past {@code expiresAt} but not yet removed counts as gone.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {

    public static final String USER_ID = "userId";
    public static final String KEY = "idempotencyKey";
    public static final String FINGERPRINT = "fingerprint";
    public static final String RESERVED_ID = "reservedId";
    public static final String STATE = "state";
    public static final String LOCKED_UNTIL = "lockedUntil";
    public static final String STATUS = "status";
    public static final String RESPONSE = "response";
    public static final String CREATED_AT = "createdAt";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String TTL = "ttl";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public boolean reserve(IdempotencyRecord record, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(record.userId(), record.key()));
        item.put(FINGERPRINT, AttributeValue.fromS(record.fingerprint()));
        item.put(RESERVED_ID, AttributeValue.fromS(record.reservedId()));
        item.put(STATE, AttributeValue.fromS(record.state().name()));
        item.put(LOCKED_UNTIL, AttributeValue.fromS(record.lockedUntil().toString()));
        item.put(CREATED_AT, AttributeValue.fromS(record.createdAt().toString()));
        item.put(EXPIRES_AT, AttributeValue.fromS(record.expiresAt().toString()));
        item.put(TTL, AttributeValue.fromN(Long.toString(record.expiresAt().getEpochSecond())));
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#user) OR #ttl < :now")
                    .expressionAttributeNames(Map.of("#user", USER_ID, "#ttl", TTL))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())))));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    @Override
    public Optional<IdempotencyRecord> find(String userId, String key) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(userId, key)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(
                item.get(USER_ID).s(),
                item.get(KEY).s(),
                item.get(FINGERPRINT).s(),
                item.get(RESERVED_ID).s(),
                IdempotencyRecord.State.valueOf(item.get(STATE).s()),
                Instant.parse(item.get(LOCKED_UNTIL).s()),
                item.containsKey(STATUS) ? Integer.parseInt(item.get(STATUS).n()) : 0,
                item.containsKey(RESPONSE) ? item.get(RESPONSE).b().asByteArray() : null,
                Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(EXPIRES_AT).s())));
    }

    @Override
    public boolean takeOver(String userId, String key, Instant expectedLockedUntil, Instant newLockedUntil) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(userId, key))
                    .updateExpression("SET #locked = :new")
                    .conditionExpression("#locked = :expected AND #state = :inProgress")
                    .expressionAttributeNames(Map.of("#locked", LOCKED_UNTIL, "#state", STATE))
                    .expressionAttributeValues(Map.of(
                            ":new", AttributeValue.fromS(newLockedUntil.toString()),
                            ":expected", AttributeValue.fromS(expectedLockedUntil.toString()),
                            ":inProgress", AttributeValue.fromS(IdempotencyRecord.State.IN_PROGRESS.name()))));
            return true;
        } catch (ConditionalCheckFailedException raced) {
            return false;
        }
    }

    @Override
    public void complete(String userId, String key, String reservedId, int status, byte[] sealedResponse) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(userId, key))
                    .updateExpression("SET #state = :completed, #status = :status, #response = :response")
                    .conditionExpression("#reserved = :reserved")
                    .expressionAttributeNames(Map.of("#state", STATE, "#status", STATUS, "#response", RESPONSE,
                            "#reserved", RESERVED_ID))
                    .expressionAttributeValues(Map.of(
                            ":completed", AttributeValue.fromS(IdempotencyRecord.State.COMPLETED.name()),
                            ":status", AttributeValue.fromN(Integer.toString(status)),
                            ":response", AttributeValue.fromB(SdkBytes.fromByteArray(sealedResponse)),
                            ":reserved", AttributeValue.fromS(reservedId))));
        } catch (ConditionalCheckFailedException gone) {
            // The record expired and the key was reused meanwhile: the answer was still given to this caller.
        }
    }

    @Override
    public void release(String userId, String key, String reservedId) {
        try {
            dynamoDb.deleteItem(r -> r.tableName(table).key(key(userId, key))
                    .conditionExpression("#reserved = :reserved AND #state = :inProgress")
                    .expressionAttributeNames(Map.of("#reserved", RESERVED_ID, "#state", STATE))
                    .expressionAttributeValues(Map.of(
                            ":reserved", AttributeValue.fromS(reservedId),
                            ":inProgress", AttributeValue.fromS(IdempotencyRecord.State.IN_PROGRESS.name()))));
        } catch (ConditionalCheckFailedException gone) {
            // Already released, completed by a takeover, or reused after expiry: nothing of ours to remove.
        }
    }

    private static Map<String, AttributeValue> key(String userId, String key) {
        return Map.of(USER_ID, AttributeValue.fromS(userId), KEY, AttributeValue.fromS(key));
    }
}
