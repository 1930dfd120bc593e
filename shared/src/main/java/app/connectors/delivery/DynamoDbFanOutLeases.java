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
 * {@link FanOutLeases} on the Deliveries table: one small item per fan-out segment, in a partition
 * of its own ({@value #PARTITION_PREFIX} and the event id), so no connector's delivery log lists it
 * and no two events share a key. It has no due time, so the reconciler's index never holds it, and
 * it expires by TTL (see below). Taking a lease is one UpdateItem (one write unit) whose
 * condition is "none, or run out"; the item as it was comes back either way, so the answer needs
 * no second read.
 *
 * <p>The item outlives every record of its event ({@link FanOutLeases#KEPT_AFTER_WRITE} after its
 * lease, and after a restart revived a record: {@link #retain}): an event published again while
 * any record of it lives (the same id: a retrying publisher) finds the lease run out, and its
 * deliveries go as jobs, each of which finds its record finished. A lease that expired before the
 * records would let such a copy make first attempts again, and only the record's write would be
 * refused, after the send.
 */
public final class DynamoDbFanOutLeases implements FanOutLeases {

    public static final String PARTITION_PREFIX = "fanout#";
    /** Who a lease item made by {@link #retain} names: nobody holds it, and it ran out long ago. */
    static final String RETAINED = "retained";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbFanOutLeases(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Taking take(String eventId, FanOut.Position from, String owner, Instant now, Instant until) {
        Map<String, AttributeValue> before;
        try {
            before = dynamoDb.updateItem(r -> r.tableName(table)
                    .key(key(eventId, from))
                    .updateExpression("SET #owner = :owner, #until = :until, #expires = :expires")
                    .conditionExpression("attribute_not_exists(#owner) OR #until < :now")
                    .expressionAttributeNames(Map.of("#owner", DynamoDbDeliveryStore.LEASE_OWNER,
                            "#until", DynamoDbDeliveryStore.LEASE_UNTIL, "#expires", DynamoDbDeliveryStore.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":owner", AttributeValue.fromS(owner),
                            ":until", DynamoDbDeliveryStore.millis(until),
                            ":now", DynamoDbDeliveryStore.millis(now),
                            ":expires", AttributeValue.fromN(Long.toString(until.plus(KEPT_AFTER_WRITE).getEpochSecond()))))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
        } catch (ConditionalCheckFailedException refused) {
            Map<String, AttributeValue> held = refused.hasItem() ? refused.item() : Map.of();
            if (owner.equals(stringOf(held, DynamoDbDeliveryStore.LEASE_OWNER))) {
                // The SDK retried a take whose first try was applied: the lease is ours, but whether
                // anybody held it before is lost with that try's answer, so it is treated as taken over.
                return new Taking.TakenOver(new Lease(eventId, FanOutLeases.segment(from), owner, until));
            }
            return FanOutLeases.judge(stringOf(held, DynamoDbDeliveryStore.LEASE_OWNER), instantOf(held), eventId, from, owner,
                    now, until);
        }
        // Written: the lease was free or had run out, and the item as it was says which.
        Lease lease = new Lease(eventId, FanOutLeases.segment(from), owner, until);
        return stringOf(before, DynamoDbDeliveryStore.LEASE_OWNER) == null ? new Taking.Fresh(lease) : new Taking.TakenOver(lease);
    }

    @Override
    public void retain(String eventId, Instant now) {
        dynamoDb.updateItem(r -> r.tableName(table)
                .key(key(eventId, FanOut.Position.START))
                .updateExpression("SET #owner = if_not_exists(#owner, :retained), #until = if_not_exists(#until, :ranOut), "
                        + "#expires = :expires")
                .expressionAttributeNames(Map.of("#owner", DynamoDbDeliveryStore.LEASE_OWNER,
                        "#until", DynamoDbDeliveryStore.LEASE_UNTIL, "#expires", DynamoDbDeliveryStore.EXPIRES_AT))
                .expressionAttributeValues(Map.of(
                        ":retained", AttributeValue.fromS(RETAINED),
                        ":ranOut", DynamoDbDeliveryStore.millis(Instant.EPOCH),
                        ":expires", AttributeValue.fromN(Long.toString(now.plus(KEPT_AFTER_WRITE).getEpochSecond())))));
    }

    /** A segment's item: in the event's own partition, named by where the segment starts. */
    private static Map<String, AttributeValue> key(String eventId, FanOut.Position from) {
        return Map.of(DynamoDbDeliveryStore.CONNECTOR_ID, AttributeValue.fromS(PARTITION_PREFIX + eventId),
                DynamoDbDeliveryStore.DELIVERY_ID, AttributeValue.fromS(FanOutLeases.segment(from)));
    }

    private static String stringOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instantOf(Map<String, AttributeValue> item) {
        AttributeValue value = item == null ? null : item.get(DynamoDbDeliveryStore.LEASE_UNTIL);
        return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }
}
