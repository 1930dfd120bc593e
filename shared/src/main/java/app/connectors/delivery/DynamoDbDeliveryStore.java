package app.connectors.delivery;

import app.connectors.connector.Page;
import app.connectors.json.Json;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link DeliveryStore} on the Deliveries table: a partition per connector, one item per delivery.
 * The sort key is the delivery id, which begins with the event's time, so a connector's deliveries
 * list newest first from the table itself: no index copies every record (a local index would cost
 * one more write unit per delivery). Pending records, and only they, carry {@code dueShard} and
 * {@code dueAt}, the keys of the sparse index {@code byDue} the reconciler queries. Items expire by
 * TTL 30 days after their last write.
 *
 * <p>Claims are UpdateItems whose condition is {@link DeliveryStateMachine#claim}'s guard written as
 * an expression; when it fails, the item it saw comes back with the failure (no second read) and
 * the state machine says why. Settling is a PutItem of the record {@link DeliveryStateMachine#settle}
 * made, on condition that the lease is still the writer's: the record still SENDING under it, or,
 * for a first attempt made under its fan-out's lease, no record yet.
 */
public final class DynamoDbDeliveryStore implements DeliveryStore {

    public static final String CONNECTOR_ID = "connectorId";
    public static final String DELIVERY_ID = "deliveryId";
    public static final String USER_ID = "userId";
    public static final String EVENT_ID = "eventId";
    public static final String EVENT_TYPE = "eventType";
    public static final String STATE = "status";
    public static final String SERIES = "series";
    public static final String ATTEMPT_COUNT = "attemptCount";
    public static final String ATTEMPTS = "attempts";
    public static final String DUE_AT = "dueAt";
    public static final String DUE_SHARD = "dueShard";
    public static final String LEASE_OWNER = "leaseOwner";
    public static final String LEASE_UNTIL = "leaseUntil";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String MATCHED_ALTERNATIVE = "matchedAlternative";
    public static final String BY_DUE_INDEX = "byDue";
    /** Every delivery id starts so; other items of a connector's partition (its destination state) do not. */
    static final String DELIVERY_PREFIX = "dlv_";
    /** The reconciler's index is spread over this many partitions, so that no one key takes every pending record. */
    static final int DUE_SHARDS = 8;
    static final Duration RETENTION = Duration.ofDays(30);

    // Written before the state machine; read so that records of that time stay readable.
    private static final String FORMER_ATTEMPTS_IN_SERIES = "attemptsInSeries";
    private static final String FORMER_NEXT_ATTEMPT_AT = "nextAttemptAt";

    private final DynamoDbClient dynamoDb;
    private final String table;
    /** The fan-out leases on the same table: a restart keeps its event's lease item as long as the record it revives. */
    private final FanOutLeases fanOutLeases;

    public DynamoDbDeliveryStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.fanOutLeases = new DynamoDbFanOutLeases(dynamoDb, table);
    }

    @Override
    public Optional<DeliveryRecord> find(String connectorId, String deliveryId) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(connectorId, deliveryId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public DeliveryStateMachine.Claim claim(DeliveryJob job, String eventType, String owner, Instant now, Duration leaseTime) {
        // A restarting job first tries the restart (its usual case); any other state is judged below.
        boolean restart = job.restarts() != null;
        if (restart) {
            // Before the record lives longer: its event must never again find its fan-out's start Fresh.
            fanOutLeases.retain(job.eventId(), now);
        }
        for (int round = 0; round < 2; round++) {
            Map<String, AttributeValue> seen;
            try {
                var written = restart ? restartClaim(job, owner, now, leaseTime) : ordinaryClaim(job, eventType, owner, now, leaseTime);
                return new DeliveryStateMachine.Claim.Taken(fromItem(written));
            } catch (ConditionalCheckFailedException refused) {
                seen = refused.hasItem() && !refused.item().isEmpty() ? refused.item() : null;
            }
            DeliveryRecord current = seen == null ? null : fromItem(seen);
            if (current != null && current.state() == DeliveryState.SENDING && current.lease().owner().equals(owner)) {
                // The SDK retried a claim whose first try had been applied: the record is ours already.
                return new DeliveryStateMachine.Claim.Taken(current);
            }
            DeliveryStateMachine.Claim verdict = DeliveryStateMachine.claim(current, job, eventType, owner, now, leaseTime);
            if (!(verdict instanceof DeliveryStateMachine.Claim.Taken)) {
                return verdict;
            }
            // The record allows the other kind of claim (a restarting job whose copy already began the
            // next series, or a record created meanwhile): make that one.
            restart = current != null && DeliveryStateMachine.restarts(job, current);
        }
        throw new IllegalStateException("the record of " + job.deliveryId() + " changed under two claims in a row");
    }

    /**
     * Absent (created here), pending and due, or sending under a lease that ran out: the record is
     * this worker's.
     */
    private Map<String, AttributeValue> ordinaryClaim(DeliveryJob job, String eventType, String owner, Instant now,
                                                      Duration leaseTime) {
        Names names = new Names();
        String set = "SET " + names.value(STATE, AttributeValue.fromS(DeliveryState.SENDING.id()))
                + ", " + names.value(LEASE_OWNER, AttributeValue.fromS(owner))
                + ", " + names.value(LEASE_UNTIL, millis(now.plus(leaseTime)))
                + ", " + names.value(UPDATED_AT, AttributeValue.fromS(now.toString()))
                + ", " + names.value(EXPIRES_AT, expiry(now))
                + ", " + names.ifAbsent(USER_ID, AttributeValue.fromS(job.userId()))
                + ", " + names.ifAbsent(EVENT_ID, AttributeValue.fromS(job.eventId()))
                + ", " + names.ifAbsent(EVENT_TYPE, AttributeValue.fromS(eventType))
                + ", " + names.ifAbsent(SERIES, AttributeValue.fromN(Integer.toString(job.restarts() == null ? 1 : job.restarts() + 1)))
                + ", " + names.ifAbsent(ATTEMPT_COUNT, AttributeValue.fromN("0"))
                + ", " + names.ifAbsent(ATTEMPTS, AttributeValue.fromS("[]"))
                + ", " + names.ifAbsent(CREATED_AT, AttributeValue.fromS(now.toString()))
                + (job.matchedAlternative() == null ? ""
                        : ", " + names.ifAbsent(MATCHED_ALTERNATIVE, AttributeValue.fromS(job.matchedAlternative())))
                + " REMOVE " + names.name(DUE_AT) + ", " + names.name(DUE_SHARD);
        String condition = "attribute_not_exists(" + names.name(CONNECTOR_ID) + ")"
                + " OR (" + names.name(STATE) + " = " + names.literal(DeliveryState.PENDING.id())
                + " AND (" + names.name(DUE_AT) + " <= " + names.literal(millis(now.plus(DeliveryStateMachine.DUE_TOLERANCE)))
                // a record written before due times were kept as numbers: due now
                + " OR attribute_not_exists(" + names.name(DUE_AT) + ")))"
                + " OR (" + names.name(STATE) + " = " + names.literal(DeliveryState.SENDING.id())
                + " AND " + names.name(LEASE_UNTIL) + " < " + names.literal(millis(now)) + ")";
        return dynamoDb.updateItem(r -> r.tableName(table).key(key(job.connectorId(), job.deliveryId()))
                .updateExpression(set).conditionExpression(condition)
                .expressionAttributeNames(names.names).expressionAttributeValues(names.values)
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
    }

    /** Finished (not succeeded) in the series the job restarts: the next series begins, this worker's. */
    private Map<String, AttributeValue> restartClaim(DeliveryJob job, String owner, Instant now, Duration leaseTime) {
        Names names = new Names();
        String set = "SET " + names.value(STATE, AttributeValue.fromS(DeliveryState.SENDING.id()))
                + ", " + names.value(SERIES, AttributeValue.fromN(Integer.toString(job.restarts() + 1)))
                + ", " + names.value(ATTEMPT_COUNT, AttributeValue.fromN("0"))
                + ", " + names.value(LEASE_OWNER, AttributeValue.fromS(owner))
                + ", " + names.value(LEASE_UNTIL, millis(now.plus(leaseTime)))
                + ", " + names.value(UPDATED_AT, AttributeValue.fromS(now.toString()))
                + ", " + names.value(EXPIRES_AT, expiry(now));
        String condition = names.name(SERIES) + " = " + names.literal(AttributeValue.fromN(Integer.toString(job.restarts())))
                + " AND " + names.name(STATE) + " IN (" + names.literal(DeliveryState.FAILED.id()) + ", "
                + names.literal(DeliveryState.CANCELLED.id()) + ", " + names.literal(DeliveryState.DEAD.id()) + ")";
        return dynamoDb.updateItem(r -> r.tableName(table).key(key(job.connectorId(), job.deliveryId()))
                .updateExpression(set).conditionExpression(condition)
                .expressionAttributeNames(names.names).expressionAttributeValues(names.values)
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
    }

    @Override
    public DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome, Instant now)
            throws DeliveryStateMachine.LeaseLost {
        DeliveryRecord next = DeliveryStateMachine.settle(sending, owner, outcome, now);
        Map<String, AttributeValue> item = toItem(next);
        try {
            // The guard of DeliveryStateMachine.mayWrite, by where the lease is kept.
            dynamoDb.putItem(r -> {
                r.tableName(table).item(item)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                switch (sending.lease().keeper()) {
                    case RECORD -> r.conditionExpression("#state = :sending AND #owner = :owner")
                            .expressionAttributeNames(Map.of("#state", STATE, "#owner", LEASE_OWNER))
                            .expressionAttributeValues(Map.of(":sending", AttributeValue.fromS(DeliveryState.SENDING.id()),
                                    ":owner", AttributeValue.fromS(owner)));
                    case FAN_OUT -> r.conditionExpression("attribute_not_exists(#connector)")
                            .expressionAttributeNames(Map.of("#connector", CONNECTOR_ID));
                }
            });
            return next;
        } catch (ConditionalCheckFailedException refused) {
            if (refused.hasItem() && item.equals(refused.item())) {
                // The SDK retried a write whose first try had been applied: it is written.
                return next;
            }
            throw new DeliveryStateMachine.LeaseLost(sending.deliveryId());
        }
    }

    @Override
    public Page<DeliveryRecord> list(String connectorId, int limit, String cursor) {
        var response = dynamoDb.query(r -> {
            r.tableName(table)
                    .keyConditionExpression("#c = :c AND begins_with(#d, :prefix)")
                    .expressionAttributeNames(Map.of("#c", CONNECTOR_ID, "#d", DELIVERY_ID))
                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(connectorId),
                            ":prefix", AttributeValue.fromS(DELIVERY_PREFIX)))
                    .scanIndexForward(false)
                    .limit(limit);
            if (cursor != null) {
                r.exclusiveStartKey(key(connectorId, decodeCursor(cursor)));
            }
        });
        List<DeliveryRecord> items = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            try {
                items.add(fromItem(item));
            } catch (IllegalStateException unreadable) {
                // The log shows what it can read; one item it does not recognise must not hide the rest.
                app.connectors.log.Log.error("delivery.unreadable_record", unreadable, "connectorId", connectorId,
                        "deliveryId", item.containsKey(DELIVERY_ID) ? item.get(DELIVERY_ID).s() : "?");
            }
        }
        String next = null;
        if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
            next = encodeCursor(response.lastEvaluatedKey().get(DELIVERY_ID).s());
        }
        return new Page<>(items, next);
    }

    @Override
    public void forEachOverdue(Instant dueBefore, Predicate<Overdue> action) {
        for (int shard = 0; shard < DUE_SHARDS; shard++) {
            String partition = Integer.toString(shard);
            // The paginator's iterator asks for a page only when the one before is used up: stopping stops the reads.
            for (Map<String, AttributeValue> item : dynamoDb.queryPaginator(r -> r.tableName(table).indexName(BY_DUE_INDEX)
                    .keyConditionExpression("#shard = :shard AND #due < :before")
                    .expressionAttributeNames(Map.of("#shard", DUE_SHARD, "#due", DUE_AT))
                    .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(partition), ":before", millis(dueBefore))))
                    .items()) {
                if (!action.test(new Overdue(item.get(CONNECTOR_ID).s(), item.get(DELIVERY_ID).s(), item.get(USER_ID).s(),
                        item.get(EVENT_ID).s(), Instant.ofEpochMilli(Long.parseLong(item.get(DUE_AT).n()))))) {
                    return;
                }
            }
        }
    }

    @Override
    public boolean requeue(Overdue overdue, Instant now) {
        Names names = new Names();
        String set = "SET " + names.value(DUE_AT, millis(now));
        String condition = names.name(STATE) + " = " + names.literal(AttributeValue.fromS(DeliveryState.PENDING.id()))
                + " AND " + names.name(DUE_AT) + " = " + names.literal(millis(overdue.dueAt()));
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(overdue.connectorId(), overdue.deliveryId()))
                    .updateExpression(set).conditionExpression(condition)
                    .expressionAttributeNames(names.names).expressionAttributeValues(names.values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException refused) {
            // The SDK retried a write whose first try had been applied: pending, due now as written.
            return refused.hasItem() && DeliveryState.PENDING.id().equals(stringOf(refused.item().get(STATE)))
                    && millis(now).equals(refused.item().get(DUE_AT));
        }
    }

    private static String stringOf(AttributeValue value) {
        return value == null ? null : value.s();
    }

    // ------------------------------------------------------------------ mapping

    static Map<String, AttributeValue> key(String connectorId, String deliveryId) {
        return Map.of(CONNECTOR_ID, AttributeValue.fromS(connectorId), DELIVERY_ID, AttributeValue.fromS(deliveryId));
    }

    /** The reconciler's index partition of a delivery: fixed by its id, so every write of it agrees. */
    static String dueShard(String deliveryId) {
        return Integer.toString(Math.floorMod(deliveryId.hashCode(), DUE_SHARDS));
    }

    /** The item a record is stored as. */
    public static Map<String, AttributeValue> toItem(DeliveryRecord d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONNECTOR_ID, AttributeValue.fromS(d.connectorId()));
        item.put(DELIVERY_ID, AttributeValue.fromS(d.deliveryId()));
        item.put(USER_ID, AttributeValue.fromS(d.userId()));
        item.put(EVENT_ID, AttributeValue.fromS(d.eventId()));
        item.put(EVENT_TYPE, AttributeValue.fromS(d.eventType()));
        item.put(STATE, AttributeValue.fromS(d.state().id()));
        item.put(SERIES, AttributeValue.fromN(Integer.toString(d.series())));
        item.put(ATTEMPT_COUNT, AttributeValue.fromN(Integer.toString(d.attemptCount())));
        item.put(ATTEMPTS, AttributeValue.fromS(writeAttempts(d.attempts())));
        if (d.dueAt() != null) {
            item.put(DUE_AT, millis(d.dueAt()));
            item.put(DUE_SHARD, AttributeValue.fromS(dueShard(d.deliveryId())));
        }
        if (d.lease() != null) {
            item.put(LEASE_OWNER, AttributeValue.fromS(d.lease().owner()));
            item.put(LEASE_UNTIL, millis(d.lease().until()));
        }
        item.put(CREATED_AT, AttributeValue.fromS(d.createdAt().toString()));
        item.put(UPDATED_AT, AttributeValue.fromS(d.updatedAt().toString()));
        item.put(EXPIRES_AT, expiry(d.updatedAt()));
        if (d.matchedAlternative() != null) {
            item.put(MATCHED_ALTERNATIVE, AttributeValue.fromS(d.matchedAlternative()));
        }
        return item;
    }

    /** The record an item holds; items written before the state machine are read too. */
    public static DeliveryRecord fromItem(Map<String, AttributeValue> item) {
        try {
            DeliveryState state = DeliveryState.of(item.get(STATE).s());
            Instant dueAt = null;
            if (state == DeliveryState.PENDING) {
                dueAt = item.containsKey(DUE_AT) ? Instant.ofEpochMilli(Long.parseLong(item.get(DUE_AT).n()))
                        : item.containsKey(FORMER_NEXT_ATTEMPT_AT) ? Instant.parse(item.get(FORMER_NEXT_ATTEMPT_AT).s())
                        : Instant.parse(item.get(CREATED_AT).s());
            }
            DeliveryRecord.Lease lease = null;
            if (state == DeliveryState.SENDING) {
                lease = new DeliveryRecord.Lease(item.get(LEASE_OWNER).s(),
                        Instant.ofEpochMilli(Long.parseLong(item.get(LEASE_UNTIL).n())));
            }
            AttributeValue count = item.containsKey(ATTEMPT_COUNT) ? item.get(ATTEMPT_COUNT) : item.get(FORMER_ATTEMPTS_IN_SERIES);
            int series = Integer.parseInt(item.get(SERIES).n());
            return new DeliveryRecord(
                    item.get(CONNECTOR_ID).s(),
                    item.get(DELIVERY_ID).s(),
                    item.get(USER_ID).s(),
                    item.get(EVENT_ID).s(),
                    item.get(EVENT_TYPE).s(),
                    state,
                    series,
                    Integer.parseInt(count.n()),
                    dueAt,
                    lease,
                    readAttempts(item.get(ATTEMPTS).s(), series),
                    Instant.parse(item.get(CREATED_AT).s()),
                    Instant.parse(item.get(UPDATED_AT).s()),
                    item.containsKey(MATCHED_ALTERNATIVE) ? item.get(MATCHED_ALTERNATIVE).s() : null);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("stored delivery record is corrupt", e);
        }
    }

    /** Attempts as a JSON list with short field names (the record is paid for by its size). */
    static String writeAttempts(List<Attempt> attempts) {
        ArrayNode list = Json.array();
        for (Attempt a : attempts) {
            ObjectNode node = list.addObject();
            node.put("n", a.number());
            node.put("s", a.series());
            node.put("at", a.at().toEpochMilli());
            if (a.statusCode() != null) {
                node.put("code", a.statusCode());
            }
            node.put("ms", a.latencyMs());
            node.put("o", a.outcome());
            if (a.error() != null) {
                node.put("err", a.error());
            }
            if (a.console() != null) {
                node.set("log", Json.MAPPER.valueToTree(a.console()));
            }
            if (a.connectorVersion() != null) {
                node.put("v", a.connectorVersion());
            }
        }
        return Json.write(list);
    }

    /** Reads attempts in today's form, or in the long-named form of before (whose attempts all belong to {@code series}). */
    static List<Attempt> readAttempts(String json, int series) throws IOException {
        List<Attempt> out = new ArrayList<>();
        for (JsonNode node : Json.MAPPER.readTree(json)) {
            boolean former = node.has("number");
            List<String> console = null;
            JsonNode lines = node.get(former ? "console" : "log");
            if (lines != null) {
                console = new ArrayList<>();
                for (JsonNode line : lines) {
                    console.add(line.asText());
                }
            }
            JsonNode code = node.get(former ? "statusCode" : "code");
            JsonNode error = node.get(former ? "error" : "err");
            out.add(new Attempt(
                    node.path(former ? "number" : "n").asInt(),
                    former ? series : node.path("s").asInt(series),
                    former ? Instant.parse(node.path("at").asText()) : Instant.ofEpochMilli(node.path("at").asLong()),
                    code == null || code.isNull() ? null : code.asInt(),
                    node.path(former ? "latencyMs" : "ms").asLong(),
                    node.path(former ? "outcome" : "o").asText(),
                    error == null || error.isNull() ? null : error.asText(),
                    console,
                    node.hasNonNull("v") ? node.get("v").asLong() : null));
        }
        return out;
    }

    static AttributeValue millis(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.toEpochMilli()));
    }

    private static AttributeValue expiry(Instant from) {
        return AttributeValue.fromN(Long.toString(from.plus(RETENTION).getEpochSecond()));
    }

    static String encodeCursor(String deliveryId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("d2|" + deliveryId).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 3);
            if (parts.length >= 2 && (parts[0].equals("d2") || parts[0].equals("d1")) && parts[1].startsWith(DELIVERY_PREFIX)) {
                return parts[1];
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw ValidationException.of("cursor", "cursor is not one this API returned; pass nextCursor from the previous page unchanged");
    }

    /** Expression attribute names and values, numbered as they are added. */
    private static final class Names {
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();

        String name(String attribute) {
            String placeholder = "#" + attribute;
            names.put(placeholder, attribute);
            return placeholder;
        }

        String literal(String text) {
            return literal(AttributeValue.fromS(text));
        }

        String literal(AttributeValue value) {
            String placeholder = ":v" + values.size();
            values.put(placeholder, value);
            return placeholder;
        }

        /** {@code #attribute = :value} */
        String value(String attribute, AttributeValue value) {
            return name(attribute) + " = " + literal(value);
        }

        /** {@code #attribute = if_not_exists(#attribute, :value)}: set only when creating the record. */
        String ifAbsent(String attribute, AttributeValue value) {
            String name = name(attribute);
            return name + " = if_not_exists(" + name + ", " + literal(value) + ")";
        }
    }
}
