package app.connectors.connector;

import app.connectors.event.EventCatalog;
import app.connectors.filter.EventPattern;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One (event type, connector) pair in the Subscriptions table, with what the dispatcher needs to
 * decide on a match without reading the connector: its owner, status and filters.
 */
public record Subscription(String eventType, String userId, String connectorId, String connectorType,
                           Connector.Status status, EventPattern filters, long version) {

    public static final String USER_ID = "userId";
    public static final String CONNECTOR_ID = "connectorId";
    public static final String CONNECTOR_TYPE = "connectorType";
    public static final String STATUS = "status";
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
        item.put(FILTERS, AttributeValue.fromS(s.filters().toString()));
        item.put(VERSION, AttributeValue.fromN(Long.toString(s.version())));
        return item;
    }

    public static Subscription fromItem(Map<String, AttributeValue> item) {
        return new Subscription(
                item.get(DynamoDbConnectorStore.EVENT_TYPE).s(),
                item.get(USER_ID).s(),
                item.get(CONNECTOR_ID).s(),
                item.get(CONNECTOR_TYPE).s(),
                Connector.Status.valueOf(item.get(STATUS).s().toUpperCase(java.util.Locale.ROOT)),
                EventPattern.load(item.get(FILTERS).s(), EventCatalog.standard()),
                Long.parseLong(item.get(VERSION).n()));
    }
}
