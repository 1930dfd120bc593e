package app.connectors.delivery;

import app.connectors.connector.Page;
import app.connectors.event.EventJson;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link DeliveryStore} on the Deliveries table: partition per connector, one item per delivery
 * (sort key = delivery id), listed newest first through the local index {@code byCreated}, expired
 * by TTL after 30 days. The connector's pacing and failure streak live in the same partition under
 * the sort key {@value #DESTINATION_KEY}, which the index does not contain.
 */
public final class DynamoDbDeliveryStore implements DeliveryStore {

    public static final String CONNECTOR_ID = "connectorId";
    public static final String DELIVERY_ID = "deliveryId";
    public static final String USER_ID = "userId";
    public static final String EVENT_ID = "eventId";
    public static final String EVENT_TYPE = "eventType";
    public static final String STATUS = "status";
    public static final String SERIES = "series";
    public static final String ATTEMPTS_IN_SERIES = "attemptsInSeries";
    public static final String ATTEMPTS = "attempts";
    public static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
    public static final String RESERVED_SLOT = "reservedSlot";
    public static final String CREATED_AT = "createdAt";
    public static final String CREATED_KEY = "createdKey";
    public static final String UPDATED_AT = "updatedAt";
    public static final String EVENT = "event";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String LEASE_UNTIL = "leaseUntil";
    public static final String LEASE_OWNER = "leaseOwner";
    public static final String NEXT_SLOT_AT = "nextSlotAt";
    public static final String FAILING_SINCE = "failingSince";
    public static final String BY_CREATED_INDEX = "byCreated";
    /** Sort key of the connector's destination state; '#' sorts before every delivery id. */
    public static final String DESTINATION_KEY = "#destination";

    static final Duration RETENTION = Duration.ofDays(30);

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbDeliveryStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Optional<DeliveryRecord> find(String connectorId, String deliveryId) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(connectorId, deliveryId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Optional<Lease> claim(DeliveryJob job, Instant now, Duration leaseTime) {
        String owner = UUID.randomUUID().toString();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder("SET #leaseUntil = :until, #leaseOwner = :owner");
        names.put("#leaseUntil", LEASE_UNTIL);
        names.put("#leaseOwner", LEASE_OWNER);
        values.put(":until", AttributeValue.fromN(Long.toString(now.plus(leaseTime).toEpochMilli())));
        values.put(":owner", AttributeValue.fromS(owner));
        values.put(":nowMillis", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        Map<String, AttributeValue> initial = new HashMap<>();
        initial.put(USER_ID, AttributeValue.fromS(job.userId()));
        initial.put(EVENT_ID, AttributeValue.fromS(job.event().id()));
        initial.put(EVENT_TYPE, AttributeValue.fromS(job.event().type()));
        initial.put(STATUS, AttributeValue.fromS(DeliveryStatus.PENDING.id()));
        initial.put(SERIES, AttributeValue.fromN("1"));
        initial.put(ATTEMPTS_IN_SERIES, AttributeValue.fromN("0"));
        initial.put(ATTEMPTS, AttributeValue.fromS("[]"));
        initial.put(CREATED_AT, AttributeValue.fromS(now.toString()));
        initial.put(CREATED_KEY, AttributeValue.fromS(now + "#" + job.deliveryId()));
        initial.put(UPDATED_AT, AttributeValue.fromS(now.toString()));
        initial.put(EVENT, AttributeValue.fromS(Json.write(EventJson.write(job.event()))));
        initial.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(now.plus(RETENTION).getEpochSecond())));
        int i = 0;
        for (var entry : initial.entrySet()) {
            String name = "#a" + i;
            String value = ":v" + i;
            names.put(name, entry.getKey());
            values.put(value, entry.getValue());
            set.append(", ").append(name).append(" = if_not_exists(").append(name).append(", ").append(value).append(")");
            i++;
        }
        try {
            var response = dynamoDb.updateItem(r -> r.tableName(table)
                    .key(key(job.connectorId(), job.deliveryId()))
                    .updateExpression(set.toString())
                    .conditionExpression("attribute_not_exists(#leaseUntil) OR #leaseUntil < :nowMillis")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(new Lease(fromItem(response.attributes()), owner));
        } catch (ConditionalCheckFailedException heldByAnother) {
            return Optional.empty();
        }
    }

    @Override
    public boolean release(Lease lease, DeliveryRecord updated) {
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(toItem(updated))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", LEASE_OWNER))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(lease.owner()))));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    @Override
    public Page<DeliveryRecord> list(String connectorId, int limit, String cursor) {
        var response = dynamoDb.query(r -> {
            r.tableName(table).indexName(BY_CREATED_INDEX)
                    .keyConditionExpression("#c = :c")
                    .expressionAttributeNames(Map.of("#c", CONNECTOR_ID))
                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(connectorId)))
                    .scanIndexForward(false)
                    .limit(limit);
            if (cursor != null) {
                String[] parts = decodeCursor(cursor);
                r.exclusiveStartKey(Map.of(CONNECTOR_ID, AttributeValue.fromS(connectorId),
                        DELIVERY_ID, AttributeValue.fromS(parts[0]), CREATED_KEY, AttributeValue.fromS(parts[1])));
            }
        });
        List<DeliveryRecord> items = response.items().stream().map(DynamoDbDeliveryStore::fromItem).toList();
        String next = null;
        if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
            var last = response.lastEvaluatedKey();
            next = encodeCursor(last.get(DELIVERY_ID).s(), last.get(CREATED_KEY).s());
        }
        return new Page<>(items, next);
    }

    /**
     * One conditional UpdateItem when the slot is free (the usual case: a destination not in a
     * burst); only when it is taken does it fall back to compare-and-set on the slot it saw. Both
     * return the item, which says whether a failure streak is recorded.
     */
    @Override
    public Slot reserveSlot(String connectorId, Duration interval, Instant now) {
        long nowMillis = now.toEpochMilli();
        Map<String, AttributeValue> seen;
        try {
            var free = dynamoDb.updateItem(r -> r.tableName(table).key(key(connectorId, DESTINATION_KEY))
                    .updateExpression("SET #slot = :next")
                    .conditionExpression("attribute_not_exists(#slot) OR #slot <= :now")
                    .expressionAttributeNames(Map.of("#slot", NEXT_SLOT_AT))
                    .expressionAttributeValues(Map.of(
                            ":next", AttributeValue.fromN(Long.toString(nowMillis + interval.toMillis())),
                            ":now", AttributeValue.fromN(Long.toString(nowMillis))))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Slot(Duration.ZERO, free.attributes().containsKey(FAILING_SINCE));
        } catch (ConditionalCheckFailedException taken) {
            seen = itemOf(taken, connectorId);
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            AttributeValue current = seen.get(NEXT_SLOT_AT);
            long slot = current == null ? nowMillis : Math.max(nowMillis, Long.parseLong(current.n()));
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":next", AttributeValue.fromN(Long.toString(slot + interval.toMillis())));
            String condition;
            if (current == null) {
                condition = "attribute_not_exists(#slot)";
            } else {
                condition = "#slot = :seen";
                values.put(":seen", current);
            }
            try {
                var reserved = dynamoDb.updateItem(r -> r.tableName(table).key(key(connectorId, DESTINATION_KEY))
                        .updateExpression("SET #slot = :next")
                        .conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#slot", NEXT_SLOT_AT))
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return new Slot(Duration.ofMillis(slot - nowMillis), reserved.attributes().containsKey(FAILING_SINCE));
            } catch (ConditionalCheckFailedException raced) {
                // Another worker took that slot; take the one after it.
                seen = itemOf(raced, connectorId);
            }
        }
        // Heavy contention on one destination: ask the caller to come back a little later.
        return new Slot(interval.multipliedBy(5), seen.containsKey(FAILING_SINCE));
    }

    /** The destination item a failed condition saw; read again only if the answer did not carry it. */
    private Map<String, AttributeValue> itemOf(ConditionalCheckFailedException failed, String connectorId) {
        if (failed.hasItem() && !failed.item().isEmpty()) {
            return failed.item();
        }
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(connectorId, DESTINATION_KEY)).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    @Override
    public void pauseUntil(String connectorId, Instant until) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(connectorId, DESTINATION_KEY))
                    .updateExpression("SET #slot = :until")
                    .conditionExpression("attribute_not_exists(#slot) OR #slot < :until")
                    .expressionAttributeNames(Map.of("#slot", NEXT_SLOT_AT))
                    .expressionAttributeValues(Map.of(":until", AttributeValue.fromN(Long.toString(until.toEpochMilli())))));
        } catch (ConditionalCheckFailedException alreadyLater) {
            // The destination is already paused at least that long.
        }
    }

    @Override
    public Instant failingSince(String connectorId, Instant now) {
        var response = dynamoDb.updateItem(r -> r.tableName(table).key(key(connectorId, DESTINATION_KEY))
                .updateExpression("SET #since = if_not_exists(#since, :now)")
                .expressionAttributeNames(Map.of("#since", FAILING_SINCE))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString())))
                .returnValues(ReturnValue.ALL_NEW));
        return Instant.parse(response.attributes().get(FAILING_SINCE).s());
    }

    @Override
    public void clearFailures(String connectorId) {
        dynamoDb.updateItem(r -> r.tableName(table).key(key(connectorId, DESTINATION_KEY))
                .updateExpression("REMOVE #since")
                .expressionAttributeNames(Map.of("#since", FAILING_SINCE)));
    }

    static Map<String, AttributeValue> key(String connectorId, String deliveryId) {
        return Map.of(CONNECTOR_ID, AttributeValue.fromS(connectorId), DELIVERY_ID, AttributeValue.fromS(deliveryId));
    }

    static Map<String, AttributeValue> toItem(DeliveryRecord d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONNECTOR_ID, AttributeValue.fromS(d.connectorId()));
        item.put(DELIVERY_ID, AttributeValue.fromS(d.deliveryId()));
        item.put(USER_ID, AttributeValue.fromS(d.userId()));
        item.put(EVENT_ID, AttributeValue.fromS(d.eventId()));
        item.put(EVENT_TYPE, AttributeValue.fromS(d.eventType()));
        item.put(STATUS, AttributeValue.fromS(d.status().id()));
        item.put(SERIES, AttributeValue.fromN(Integer.toString(d.series())));
        item.put(ATTEMPTS_IN_SERIES, AttributeValue.fromN(Integer.toString(d.attemptsInSeries())));
        item.put(ATTEMPTS, AttributeValue.fromS(writeAttempts(d.attempts())));
        if (d.nextAttemptAt() != null) {
            item.put(NEXT_ATTEMPT_AT, AttributeValue.fromS(d.nextAttemptAt().toString()));
        }
        if (d.reservedSlot() != null) {
            item.put(RESERVED_SLOT, AttributeValue.fromS(d.reservedSlot().toString()));
        }
        item.put(CREATED_AT, AttributeValue.fromS(d.createdAt().toString()));
        item.put(CREATED_KEY, AttributeValue.fromS(d.createdAt() + "#" + d.deliveryId()));
        item.put(UPDATED_AT, AttributeValue.fromS(d.updatedAt().toString()));
        item.put(EVENT, AttributeValue.fromS(Json.write(EventJson.write(d.event()))));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(d.updatedAt().plus(RETENTION).getEpochSecond())));
        return item;
    }

    static DeliveryRecord fromItem(Map<String, AttributeValue> item) {
        try {
            return new DeliveryRecord(
                    item.get(CONNECTOR_ID).s(),
                    item.get(DELIVERY_ID).s(),
                    item.get(USER_ID).s(),
                    item.get(EVENT_ID).s(),
                    item.get(EVENT_TYPE).s(),
                    DeliveryStatus.of(item.get(STATUS).s()),
                    Integer.parseInt(item.get(SERIES).n()),
                    Integer.parseInt(item.get(ATTEMPTS_IN_SERIES).n()),
                    readAttempts(item.get(ATTEMPTS).s()),
                    item.containsKey(NEXT_ATTEMPT_AT) ? Instant.parse(item.get(NEXT_ATTEMPT_AT).s()) : null,
                    item.containsKey(RESERVED_SLOT) ? Instant.parse(item.get(RESERVED_SLOT).s()) : null,
                    Instant.parse(item.get(CREATED_AT).s()),
                    Instant.parse(item.get(UPDATED_AT).s()),
                    EventParser.standard().parse(item.get(EVENT).s()));
        } catch (InvalidEventException | java.io.IOException e) {
            throw new IllegalStateException("stored delivery record is corrupt", e);
        }
    }

    /** Attempts as a JSON list, mapped field by field (times as ISO-8601 text). */
    static String writeAttempts(List<Attempt> attempts) {
        ArrayNode list = Json.array();
        for (Attempt a : attempts) {
            ObjectNode node = list.addObject();
            node.put("number", a.number());
            node.put("at", a.at().toString());
            if (a.statusCode() != null) {
                node.put("statusCode", a.statusCode());
            }
            node.put("latencyMs", a.latencyMs());
            node.put("outcome", a.outcome());
            if (a.error() != null) {
                node.put("error", a.error());
            }
            if (a.console() != null) {
                node.set("console", Json.MAPPER.valueToTree(a.console()));
            }
        }
        return Json.write(list);
    }

    static List<Attempt> readAttempts(String json) throws java.io.IOException {
        List<Attempt> out = new java.util.ArrayList<>();
        for (JsonNode node : Json.MAPPER.readTree(json)) {
            List<String> console = null;
            if (node.has("console")) {
                console = new java.util.ArrayList<>();
                for (JsonNode line : node.get("console")) {
                    console.add(line.asText());
                }
            }
            out.add(new Attempt(node.path("number").asInt(), Instant.parse(node.path("at").asText()),
                    node.hasNonNull("statusCode") ? node.get("statusCode").asInt() : null, node.path("latencyMs").asLong(),
                    node.path("outcome").asText(), node.hasNonNull("error") ? node.get("error").asText() : null, console));
        }
        return out;
    }

    static String encodeCursor(String deliveryId, String createdKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("d1|" + deliveryId + "|" + createdKey)
                .getBytes(StandardCharsets.UTF_8));
    }

    static String[] decodeCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 3);
            if (parts.length == 3 && parts[0].equals("d1")) {
                return new String[]{parts[1], parts[2]};
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw ValidationException.of("cursor", "cursor is not one this API returned; pass nextCursor from the previous page unchanged");
    }
}
