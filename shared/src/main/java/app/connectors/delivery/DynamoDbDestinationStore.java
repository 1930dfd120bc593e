package app.connectors.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link DestinationStore} on one small item per destination in the Deliveries table: partition key
 * the {@link DestinationKey} (a hash, never the URL), sort key {@value #DESTINATION_KEY}. No
 * connector's partition holds it, so a connector's delivery log never meets it.
 *
 * <p>A booking is at most two conditional UpdateItems, each atomic on its own: "the destination is
 * free now: the next slot is now + spacing", else "the next slot is in the future and within the
 * horizon: it is mine, and the one after it moves on by spacing" ({@code SET next = next + spacing},
 * returning the old value). The stored next slot only ever grows, so the second step cannot fail
 * for time having passed; it fails only for a pause or the horizon, which are answers, not retries.
 */
public final class DynamoDbDestinationStore implements DestinationStore {

    /** Sort key of a destination's item; '#' sorts before every delivery id. */
    public static final String DESTINATION_KEY = "#destination";
    public static final String NEXT_SLOT_AT = "nextSlotAt";
    public static final String PAUSED_UNTIL = "pausedUntil";
    public static final String FAILING_SINCE = "failingSince";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbDestinationStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public DestinationState read(String destination) {
        return stateOf(dynamoDb.getItem(r -> r.tableName(table).key(key(destination))).item());
    }

    @Override
    public DestinationState readLatest(String destination) {
        return stateOf(dynamoDb.getItem(r -> r.tableName(table).key(key(destination)).consistentRead(true)).item());
    }

    @Override
    public Booking book(String destination, Duration spacing, Instant requested, Duration horizon) {
        // Slots are stored to the millisecond: the slot handed out is too, so two are exactly spacing apart.
        long nowMillis = requested.toEpochMilli();
        Instant now = Instant.ofEpochMilli(nowMillis);
        Map<String, AttributeValue> seen;
        try {
            var free = dynamoDb.updateItem(r -> r.tableName(table).key(key(destination))
                    .updateExpression("SET #next = :after")
                    .conditionExpression("(attribute_not_exists(#next) OR #next <= :now)"
                            + " AND (attribute_not_exists(#paused) OR #paused <= :now)")
                    .expressionAttributeNames(Map.of("#next", NEXT_SLOT_AT, "#paused", PAUSED_UNTIL))
                    .expressionAttributeValues(Map.of(
                            ":after", number(nowMillis + spacing.toMillis()),
                            ":now", number(nowMillis)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Booking.Booked(now, stateOf(free.attributes()));
        } catch (ConditionalCheckFailedException taken) {
            seen = taken.hasItem() ? taken.item() : Map.of();
        }
        DestinationState state = stateOf(seen);
        if (state.pausedAt(now)) {
            return new Booking.Paused(state);
        }
        long next = Long.parseLong(seen.get(NEXT_SLOT_AT).n());
        long horizonEnd = nowMillis + horizon.toMillis();
        if (next >= horizonEnd) {
            return new Booking.Full(Instant.ofEpochMilli(next), state);
        }
        try {
            var booked = dynamoDb.updateItem(r -> r.tableName(table).key(key(destination))
                    .updateExpression("SET #next = #next + :spacing")
                    .conditionExpression("#next > :now AND #next < :horizon"
                            + " AND (attribute_not_exists(#paused) OR #paused <= #next)")
                    .expressionAttributeNames(Map.of("#next", NEXT_SLOT_AT, "#paused", PAUSED_UNTIL))
                    .expressionAttributeValues(Map.of(
                            ":spacing", number(spacing.toMillis()),
                            ":now", number(nowMillis),
                            ":horizon", number(horizonEnd)))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Booking.Booked(Instant.ofEpochMilli(Long.parseLong(booked.attributes().get(NEXT_SLOT_AT).n())),
                    stateOf(booked.attributes()));
        } catch (ConditionalCheckFailedException moved) {
            // Others booked up to the horizon meanwhile, or a pause came: say which; book nothing.
            Map<String, AttributeValue> now2 = moved.hasItem() ? moved.item() : Map.of();
            DestinationState latest = stateOf(now2);
            Instant nextFree = Instant.ofEpochMilli(Long.parseLong(now2.getOrDefault(NEXT_SLOT_AT, number(horizonEnd)).n()));
            return latest.pausedUntil() != null && !latest.pausedUntil().isBefore(nextFree)
                    ? new Booking.Paused(latest) : new Booking.Full(nextFree, latest);
        }
    }

    @Override
    public void pauseUntil(String destination, Instant until) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(destination))
                    .updateExpression("SET #paused = :until")
                    .conditionExpression("attribute_not_exists(#paused) OR #paused < :until")
                    .expressionAttributeNames(Map.of("#paused", PAUSED_UNTIL))
                    .expressionAttributeValues(Map.of(":until", number(until.toEpochMilli()))));
        } catch (ConditionalCheckFailedException alreadyLater) {
            // The destination is already paused at least that long.
        }
    }

    @Override
    public Instant failingSince(String destination, Instant now) {
        var response = dynamoDb.updateItem(r -> r.tableName(table).key(key(destination))
                .updateExpression("SET #since = if_not_exists(#since, :now)")
                .expressionAttributeNames(Map.of("#since", FAILING_SINCE))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString())))
                .returnValues(ReturnValue.ALL_NEW));
        return Instant.parse(response.attributes().get(FAILING_SINCE).s());
    }

    @Override
    public void clearFailures(String destination) {
        dynamoDb.updateItem(r -> r.tableName(table).key(key(destination))
                .updateExpression("REMOVE #since")
                .expressionAttributeNames(Map.of("#since", FAILING_SINCE)));
    }

    private static Map<String, AttributeValue> key(String destination) {
        return DynamoDbDeliveryStore.key(destination, DESTINATION_KEY);
    }

    private static DestinationState stateOf(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return DestinationState.NONE;
        }
        AttributeValue paused = item.get(PAUSED_UNTIL);
        AttributeValue since = item.get(FAILING_SINCE);
        return new DestinationState(paused == null ? null : Instant.ofEpochMilli(Long.parseLong(paused.n())),
                since == null ? null : Instant.parse(since.s()));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
