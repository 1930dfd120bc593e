package app.connectors.delivery;

import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link EventStore} on the DeliveryEvents table: one item per event id, expired by TTL a day after
 * the delivery records that may need it. An item holds the envelope as it was accepted (at most
 * 240 KiB, under DynamoDB's 400 KB), never a copy written again. An environment remembers which events it kept lately, so
 * the deliveries of one fan-out that all fail write their event once, not once each.
 */
public final class DynamoDbEventStore implements EventStore {

    public static final String EVENT_ID = "eventId";
    public static final String BODY = "body";
    public static final String EXPIRES_AT = "expiresAt";
    private static final Duration RETENTION = DynamoDbDeliveryStore.RETENTION.plusDays(1);
    private static final int REMEMBERED = 10_000;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;
    private final Set<String> kept = Collections.newSetFromMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    public DynamoDbEventStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void keep(Event event) {
        synchronized (kept) {
            if (kept.contains(event.id())) {
                return;
            }
        }
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of(
                EVENT_ID, AttributeValue.fromS(event.id()),
                BODY, AttributeValue.fromS(event.envelope()),
                EXPIRES_AT, AttributeValue.fromN(Long.toString(clock.instant().plus(RETENTION).getEpochSecond())))));
        synchronized (kept) {
            kept.add(event.id());
        }
    }

    @Override
    public Optional<Event> find(String eventId) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(Map.of(EVENT_ID, AttributeValue.fromS(eventId)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventParser.standard().readKept(item.get(BODY).s()));
        } catch (InvalidEventException e) {
            throw new IllegalStateException("stored event " + eventId + " does not parse: " + e.getMessage(), e);
        }
    }
}
