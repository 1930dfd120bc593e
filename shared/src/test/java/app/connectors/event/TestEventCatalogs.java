package app.connectors.event;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Event catalogs built for tests through the catalog's own loader. */
public final class TestEventCatalogs {

    private TestEventCatalogs() {
    }

    /** A catalog of {@code count} event types named {@code test.event_0} … and the filter {@code categories}. */
    public static EventCatalog withTypes(int count) {
        ObjectNode root = Json.object();
        var types = root.putArray("types");
        for (int i = 0; i < count; i++) {
            ObjectNode t = types.addObject();
            t.put("name", "test.event_" + i);
            t.put("description", "test event " + i);
            t.putObject("schema").put("type", "object");
            t.putObject("example").put("type", "test.event_" + i);
        }
        root.putArray("filters").addObject().put("name", "categories").put("attribute", "category");
        return EventCatalog.load(root);
    }

    /** The standard catalog (its types and filters) plus one type with the given data schema. */
    public static EventCatalog standardWith(String typeName, ObjectNode schema) {
        ObjectNode root = Json.object();
        var types = root.putArray("types");
        for (EventType type : EventCatalog.standard().all()) {
            types.addObject().put("name", type.name()).put("description", type.description())
                    .<ObjectNode>set("schema", type.schema()).set("example", type.example());
        }
        types.addObject().put("name", typeName).put("description", "test type").<ObjectNode>set("schema", schema)
                .putObject("example").put("type", typeName);
        var filters = root.putArray("filters");
        for (FilterKey filter : EventCatalog.standard().filters()) {
            ObjectNode f = filters.addObject().put("name", filter.name()).put("attribute", filter.attribute())
                    .put("description", filter.description());
            if (filter.fromSubject()) {
                f.put("source", "subject");
            }
        }
        return EventCatalog.load(root);
    }

    /** A parser reading events against {@code catalog}. */
    public static EventParser parser(EventCatalog catalog) {
        return new EventParser(catalog);
    }
}
