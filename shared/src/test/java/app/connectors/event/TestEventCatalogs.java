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
}
