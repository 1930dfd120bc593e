package app.connectors.template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link TemplateStore} on the Templates table, keyed by template id. Listing is a Scan: the table
 * holds an operator's handful of templates, never user data.
 */
public final class DynamoDbTemplateStore implements TemplateStore {

    public static final String TEMPLATE_ID = "templateId";
    static final String TYPE = "type";
    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String EVENT_TYPES = "eventTypes";
    static final String TRANSFORMATION = "transformation";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbTemplateStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void put(ConnectorTemplate t) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TEMPLATE_ID, AttributeValue.fromS(t.id()));
        item.put(TYPE, AttributeValue.fromS(t.type()));
        item.put(NAME, AttributeValue.fromS(t.name()));
        item.put(DESCRIPTION, AttributeValue.fromS(t.description()));
        item.put(EVENT_TYPES, AttributeValue.fromL(t.eventTypes().stream().map(AttributeValue::fromS).toList()));
        if (t.transformation() != null) {
            item.put(TRANSFORMATION, AttributeValue.fromS(t.transformation()));
        }
        item.put(CREATED_AT, AttributeValue.fromS(t.createdAt().toString()));
        item.put(UPDATED_AT, AttributeValue.fromS(t.updatedAt().toString()));
        dynamoDb.putItem(r -> r.tableName(table).item(item));
    }

    @Override
    public Optional<ConnectorTemplate> find(String id) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(Map.of(TEMPLATE_ID, AttributeValue.fromS(id)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public List<ConnectorTemplate> list() {
        List<ConnectorTemplate> out = new ArrayList<>();
        dynamoDb.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().forEach(i -> out.add(fromItem(i)));
        out.sort(Comparator.comparing(ConnectorTemplate::name).thenComparing(ConnectorTemplate::id));
        return out;
    }

    @Override
    public boolean delete(String id) {
        var old = dynamoDb.deleteItem(r -> r.tableName(table).key(Map.of(TEMPLATE_ID, AttributeValue.fromS(id)))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    private static ConnectorTemplate fromItem(Map<String, AttributeValue> item) {
        return new ConnectorTemplate(
                item.get(TEMPLATE_ID).s(),
                item.get(TYPE).s(),
                item.get(NAME).s(),
                item.get(DESCRIPTION).s(),
                item.get(EVENT_TYPES).l().stream().map(AttributeValue::s).toList(),
                item.containsKey(TRANSFORMATION) ? item.get(TRANSFORMATION).s() : null,
                Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(UPDATED_AT).s()));
    }
}
