package app.connectors.connector;

import app.connectors.event.EventCatalog;
import app.connectors.filter.EventPattern;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One (event type, connector) pair in the Subscriptions table, with what the dispatcher needs to
 * decide on a match without reading the connector: its owner, status and filter.
 *
 * <p>The filter is named by its digest ({@value #FILTER}); the pattern itself is in the
 * FilterPatterns table, written with the connector. Items written before patterns were stored apart
 * carry the filter's JSON inline ({@value #FILTERS}: the original {@code {"categories": […]}} form),
 * and are read as they are until their connector is next saved.
 */
public record Subscription(String eventType, String userId, String connectorId, String connectorType,
                           Connector.Status status, EventPattern filters, long version) {

    public static final String USER_ID = "userId";
    public static final String CONNECTOR_ID = "connectorId";
    public static final String CONNECTOR_TYPE = "connectorType";
    public static final String STATUS = "status";
    /** The digest of the connector's filter pattern; absent when it has none. */
    public static final String FILTER = "filter";
    /** The filter's JSON inline, as items were written before patterns were stored apart. */
    public static final String FILTERS = "filters";
    public static final String VERSION = "version";

    /** Sort key: grouping by user first lets a user-targeted event query just that user's subscriptions. */
    public static String subscriberKey(String userId, String connectorId) {
        return userId + "#" + connectorId;
    }

    public static Map<String, AttributeValue> toItem(Subscription s) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(DynamoDbConnectorStore.EVENT_TYPE, AttributeValue.fromS(s.eventType()));
        item.put(DynamoDbConnectorStore.SUBSCRIBER, AttributeValue.fromS(subscriberKey(s.userId(), s.connectorId())));
        item.put(USER_ID, AttributeValue.fromS(s.userId()));
        item.put(CONNECTOR_ID, AttributeValue.fromS(s.connectorId()));
        item.put(CONNECTOR_TYPE, AttributeValue.fromS(s.connectorType()));
        item.put(STATUS, AttributeValue.fromS(s.status().id()));
        if (!s.filters().isEmpty()) {
            item.put(FILTER, AttributeValue.fromS(s.filters().digest()));
        }
        item.put(VERSION, AttributeValue.fromN(Long.toString(s.version())));
        return item;
    }

    /** The digest an item names its filter by, when it does. */
    public static Optional<String> filterDigest(Map<String, AttributeValue> item) {
        AttributeValue digest = item.get(FILTER);
        return digest == null ? Optional.empty() : Optional.of(digest.s());
    }

    /**
     * @param patterns the patterns of the digests the items name ({@link #filterDigest}), already resolved
     */
    public static Subscription fromItem(Map<String, AttributeValue> item, Map<String, EventPattern> patterns) {
        EventPattern filters;
        Optional<String> digest = filterDigest(item);
        if (digest.isPresent()) {
            filters = patterns.get(digest.get());
            if (filters == null) {
                throw new IllegalArgumentException("pattern " + digest.get() + " was not resolved before reading the item");
            }
        } else if (item.containsKey(FILTERS)) {
            filters = EventPattern.load(item.get(FILTERS).s(), EventCatalog.standard());
        } else {
            filters = EventPattern.everything();
        }
        return new Subscription(
                item.get(DynamoDbConnectorStore.EVENT_TYPE).s(),
                item.get(USER_ID).s(),
                item.get(CONNECTOR_ID).s(),
                item.get(CONNECTOR_TYPE).s(),
                Connector.Status.valueOf(item.get(STATUS).s().toUpperCase(java.util.Locale.ROOT)),
                filters,
                Long.parseLong(item.get(VERSION).n()));
    }
}
