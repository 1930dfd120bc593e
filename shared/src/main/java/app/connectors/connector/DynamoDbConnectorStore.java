package app.connectors.connector;

import app.connectors.account.DynamoDbUserStore;
import app.connectors.account.Tier;
import app.connectors.event.EventCatalog;
import app.connectors.filter.DynamoDbPatternStore;
import app.connectors.filter.EventPattern;
import app.connectors.json.Json;
import app.connectors.problem.ConflictException;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link ConnectorStore} on three tables. Connectors: (userId, connectorId). Subscriptions:
 * (eventType, subscriber = userId#connectorId) with the connector's status and filters copied in,
 * so the dispatcher fans out with one Query per event type and no read of the connectors.
 * Users: the connector count that the plan limit is checked against in the same transaction.
 */
public final class DynamoDbConnectorStore implements ConnectorStore {

    public static final String USER_ID = "userId";
    public static final String CONNECTOR_ID = "connectorId";
    public static final String TYPE = "type";
    public static final String NAME = "name";
    public static final String PUBLIC_CONFIG = "publicConfig";
    /**
     * Items written before masks were computed on read carry the masked secrets here in plaintext.
     * Never written now; removed from an item the first time it is read (and by any write, which
     * replaces the whole item).
     */
    public static final String LEGACY_MASKED_CONFIG = "maskedConfig";
    public static final String SECRETS = "secrets";
    public static final String EVENTS = "events";
    public static final String FILTERS = "filters";
    public static final String TRANSFORMATION = "transformation";
    public static final String STATUS = "status";
    public static final String STATUS_REASON = "statusReason";
    public static final String VERSION = "version";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    public static final String EVENT_TYPE = "eventType";
    public static final String SUBSCRIBER = "subscriber";

    private static final int MAX_ATTEMPTS = 10;

    private final DynamoDbClient dynamoDb;
    private final String usersTable;
    private final String connectorsTable;
    private final String subscriptionsTable;
    private final String filterPatternsTable;

    public DynamoDbConnectorStore(DynamoDbClient dynamoDb, String usersTable, String connectorsTable, String subscriptionsTable,
                                  String filterPatternsTable) {
        this.dynamoDb = dynamoDb;
        this.usersTable = usersTable;
        this.connectorsTable = connectorsTable;
        this.subscriptionsTable = subscriptionsTable;
        this.filterPatternsTable = filterPatternsTable;
    }

    @Override
    public void create(Connector connector, Tier tier, OptionalInt limit) {
        List<TransactWriteItem> actions = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":zero", AttributeValue.fromN("0"));
        values.put(":tier", AttributeValue.fromS(tier.id()));
        String condition = "attribute_exists(#user) AND #tier = :tier";
        if (limit.isPresent()) {
            values.put(":limit", AttributeValue.fromN(Integer.toString(limit.getAsInt())));
            condition += " AND (attribute_not_exists(#count) OR #count < :limit)";
        }
        final String countCondition = condition;
        actions.add(TransactWriteItem.builder().update(Update.builder()
                .tableName(usersTable)
                .key(Map.of(DynamoDbUserStore.USER_ID, AttributeValue.fromS(connector.userId())))
                .updateExpression("SET #count = if_not_exists(#count, :zero) + :one")
                .conditionExpression(countCondition)
                .expressionAttributeNames(Map.of("#user", DynamoDbUserStore.USER_ID, "#tier", DynamoDbUserStore.TIER,
                        "#count", DynamoDbUserStore.CONNECTOR_COUNT))
                .expressionAttributeValues(values)
                .build()).build());
        actions.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(connectorsTable)
                .item(toItem(connector))
                .conditionExpression("attribute_not_exists(" + CONNECTOR_ID + ")")
                .build()).build());
        for (String eventType : connector.events()) {
            actions.add(putSubscription(eventType, connector));
        }
        putPattern(connector, actions);
        transact(actions, reasons -> {
            // Reasons come in the order of the actions: the user's count first, then the connector.
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                throw new AlreadyExistsException();
            }
            throw new QuotaReachedException();
        });
    }

    @Override
    public Optional<Connector> find(String userId, String connectorId) {
        var item = dynamoDb.getItem(r -> r.tableName(connectorsTable).key(key(userId, connectorId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        scrubLegacyMask(item);
        return Optional.of(fromItem(item));
    }

    @Override
    public Optional<Connector> findEventuallyConsistent(String userId, String connectorId) {
        var item = dynamoDb.getItem(r -> r.tableName(connectorsTable).key(key(userId, connectorId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Page<Connector> list(String userId, int limit, String cursor) {
        var response = dynamoDb.query(r -> {
            r.tableName(connectorsTable)
                    .keyConditionExpression("#u = :u")
                    .expressionAttributeNames(Map.of("#u", USER_ID))
                    .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)))
                    .consistentRead(true)
                    .limit(limit);
            if (cursor != null) {
                // The cursor carries only the connector id; the partition is always the caller's.
                r.exclusiveStartKey(key(userId, decodeCursor(cursor)));
            }
        });
        response.items().forEach(this::scrubLegacyMask);
        List<Connector> items = response.items().stream().map(DynamoDbConnectorStore::fromItem).toList();
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? encodeCursor(response.lastEvaluatedKey().get(CONNECTOR_ID).s()) : null;
        return new Page<>(items, next);
    }

    @Override
    public void update(Connector updated, long expectedVersion, List<String> previousEvents) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(connectorsTable)
                .item(toItem(updated))
                .conditionExpression("#v = :expected")
                .expressionAttributeNames(Map.of("#v", VERSION))
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build());
        Set<String> removed = new LinkedHashSet<>(previousEvents);
        removed.removeAll(updated.events());
        for (String eventType : removed) {
            actions.add(deleteSubscription(eventType, updated.userId(), updated.id()));
        }
        // Every current subscription is rewritten: it carries the status and filters the dispatcher reads.
        for (String eventType : updated.events()) {
            actions.add(putSubscription(eventType, updated));
        }
        putPattern(updated, actions);
        transact(actions, reasons -> {
            CancellationReason first = reasons.get(0);
            if (first.item() == null || first.item().isEmpty()) {
                throw new NotFoundException("Connector " + updated.id() + " was deleted meanwhile.");
            }
            throw new ConflictException("Connector " + updated.id() + " was changed by another request (it is now at version "
                    + first.item().get(VERSION).n() + "); read it again and retry your change.");
        });
    }

    @Override
    public void renewCredentials(Connector renewed, long expectedVersion) {
        try {
            dynamoDb.updateItem(r -> r.tableName(connectorsTable)
                    .key(key(renewed.userId(), renewed.id()))
                    // No mask is stored (masks are computed when shown): an old item's stored one goes.
                    .updateExpression("SET #public = :public, #secrets = :secrets, #v = :v REMOVE #masked")
                    .conditionExpression("attribute_exists(#id) AND #v = :expected")
                    .expressionAttributeNames(Map.of("#public", PUBLIC_CONFIG, "#masked", LEGACY_MASKED_CONFIG, "#secrets", SECRETS,
                            "#v", VERSION, "#id", CONNECTOR_ID))
                    .expressionAttributeValues(Map.of(
                            ":public", AttributeValue.fromS(Json.write(renewed.publicConfig())),
                            ":secrets", AttributeValue.fromB(SdkBytes.fromByteArray(renewed.sealedSecrets())),
                            ":v", AttributeValue.fromN(Long.toString(renewed.version())),
                            ":expected", AttributeValue.fromN(Long.toString(expectedVersion))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException refused) {
            if (refused.item() == null || refused.item().isEmpty()) {
                throw new NotFoundException("Connector " + renewed.id() + " was deleted meanwhile.");
            }
            throw new ConflictException("Connector " + renewed.id() + " was changed by another request (it is now at version "
                    + refused.item().get(VERSION).n() + ").");
        }
    }

    @Override
    public boolean delete(String userId, String connectorId) {
        for (int attempt = 0; ; attempt++) {
            var current = find(userId, connectorId);
            if (current.isEmpty()) {
                return false;
            }
            Connector connector = current.get();
            List<TransactWriteItem> actions = new ArrayList<>();
            actions.add(TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(connectorsTable)
                    .key(key(userId, connectorId))
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#v", VERSION))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(connector.version()))))
                    .build()).build());
            actions.add(TransactWriteItem.builder().update(Update.builder()
                    .tableName(usersTable)
                    .key(Map.of(DynamoDbUserStore.USER_ID, AttributeValue.fromS(userId)))
                    .updateExpression("SET #count = #count - :one")
                    .conditionExpression("#count > :zero")
                    .expressionAttributeNames(Map.of("#count", DynamoDbUserStore.CONNECTOR_COUNT))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":zero", AttributeValue.fromN("0")))
                    .build()).build());
            for (String eventType : connector.events()) {
                actions.add(deleteSubscription(eventType, userId, connectorId));
            }
            boolean[] changedMeanwhile = {false};
            transact(actions, reasons -> changedMeanwhile[0] = true);
            if (!changedMeanwhile[0]) {
                return true;
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new ConflictException("Connector " + connectorId + " keeps changing; try the delete again.");
            }
        }
    }

    /** Runs a transaction, retrying conflicts with other transactions; a failed condition goes to {@code onCondition}. */
    private void transact(List<TransactWriteItem> actions, java.util.function.Consumer<List<CancellationReason>> onCondition) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(actions));
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                boolean conditionFailed = reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
                if (conditionFailed) {
                    onCondition.accept(reasons);
                    return;
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L << Math.min(attempt, 5)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", interrupted);
        }
    }

    /**
     * The subscriptions name the connector's filter by digest; its pattern is written in the same
     * transaction, so no subscription ever names a pattern that is not stored. Writing an existing
     * pattern again changes nothing (same digest, same JSON); patterns are never deleted, since other
     * connectors may share one (they are small, and one exists per distinct filter ever saved).
     */
    private void putPattern(Connector connector, List<TransactWriteItem> actions) {
        if (!connector.filters().isEmpty()) {
            actions.add(TransactWriteItem.builder().put(DynamoDbPatternStore.put(filterPatternsTable, connector.filters())).build());
        }
    }

    private TransactWriteItem putSubscription(String eventType, Connector connector) {
        return TransactWriteItem.builder().put(Put.builder().tableName(subscriptionsTable).item(Subscription.toItem(
                new Subscription(eventType, connector.userId(), connector.id(), connector.type(), connector.status(),
                        connector.filters(), connector.version()))).build()).build();
    }

    private TransactWriteItem deleteSubscription(String eventType, String userId, String connectorId) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(subscriptionsTable)
                .key(Map.of(EVENT_TYPE, AttributeValue.fromS(eventType),
                        SUBSCRIBER, AttributeValue.fromS(Subscription.subscriberKey(userId, connectorId))))
                .build()).build();
    }

    /**
     * Removes the plaintext masks an item written the old way still carries. Only that attribute is
     * touched, and only while it exists, so this never races with a concurrent write (which drops
     * it anyway); a failure is logged and retried on the next read.
     */
    private void scrubLegacyMask(Map<String, AttributeValue> item) {
        if (!item.containsKey(LEGACY_MASKED_CONFIG)) {
            return;
        }
        try {
            dynamoDb.updateItem(r -> r.tableName(connectorsTable)
                    .key(key(item.get(USER_ID).s(), item.get(CONNECTOR_ID).s()))
                    .updateExpression("REMOVE #masked")
                    .conditionExpression("attribute_exists(#masked)")
                    .expressionAttributeNames(Map.of("#masked", LEGACY_MASKED_CONFIG)));
        } catch (ConditionalCheckFailedException alreadyGone) {
            // Another reader or a write removed it first.
        } catch (RuntimeException e) {
            app.connectors.log.Log.warn("connector.legacy_mask_not_removed", "connectorId", item.get(CONNECTOR_ID).s(),
                    "error", e.toString());
        }
    }

    static Map<String, AttributeValue> key(String userId, String connectorId) {
        return Map.of(USER_ID, AttributeValue.fromS(userId), CONNECTOR_ID, AttributeValue.fromS(connectorId));
    }

    static Map<String, AttributeValue> toItem(Connector c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(USER_ID, AttributeValue.fromS(c.userId()));
        item.put(CONNECTOR_ID, AttributeValue.fromS(c.id()));
        item.put(TYPE, AttributeValue.fromS(c.type()));
        item.put(NAME, AttributeValue.fromS(c.name()));
        item.put(PUBLIC_CONFIG, AttributeValue.fromS(Json.write(c.publicConfig())));
        item.put(SECRETS, AttributeValue.fromB(SdkBytes.fromByteArray(c.sealedSecrets())));
        item.put(EVENTS, AttributeValue.fromL(c.events().stream().map(AttributeValue::fromS).toList()));
        item.put(FILTERS, AttributeValue.fromS(c.filters().toString()));
        if (c.transformation() != null) {
            item.put(TRANSFORMATION, AttributeValue.fromS(c.transformation()));
        }
        item.put(STATUS, AttributeValue.fromS(c.status().id()));
        if (c.statusReason() != null) {
            item.put(STATUS_REASON, AttributeValue.fromS(c.statusReason()));
        }
        item.put(VERSION, AttributeValue.fromN(Long.toString(c.version())));
        item.put(CREATED_AT, AttributeValue.fromS(c.createdAt().toString()));
        item.put(UPDATED_AT, AttributeValue.fromS(c.updatedAt().toString()));
        return item;
    }

    static Connector fromItem(Map<String, AttributeValue> item) {
        return new Connector(
                item.get(CONNECTOR_ID).s(),
                item.get(USER_ID).s(),
                item.get(TYPE).s(),
                item.get(NAME).s(),
                objectOf(item.get(PUBLIC_CONFIG).s()),
                item.get(SECRETS).b().asByteArray(),
                item.get(EVENTS).l().stream().map(AttributeValue::s).toList(),
                EventPattern.load(item.get(FILTERS).s(), EventCatalog.standard()),
                text(item, TRANSFORMATION),
                Connector.Status.valueOf(item.get(STATUS).s().toUpperCase(java.util.Locale.ROOT)),
                text(item, STATUS_REASON),
                Long.parseLong(item.get(VERSION).n()),
                Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(UPDATED_AT).s()));
    }

    private static ObjectNode objectOf(String json) {
        return read(() -> (ObjectNode) Json.MAPPER.readTree(json));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private interface Reader<T> {
        T read() throws JsonProcessingException;
    }

    private static <T> T read(Reader<T> reader) {
        try {
            return reader.read();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON attribute is corrupt", e);
        }
    }

    static String encodeCursor(String connectorId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("c1:" + connectorId).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("c1:") && text.length() > 3 && text.length() < 200) {
                return text.substring(3);
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw ValidationException.of("cursor", "cursor is not one this API returned; pass nextCursor from the previous page unchanged");
    }

}
