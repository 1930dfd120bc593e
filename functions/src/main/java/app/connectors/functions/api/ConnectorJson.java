package app.connectors.functions.api;

import app.connectors.connector.Connector;
import app.connectors.connector.Page;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The API's representation of a connector: config with secrets masked, never the sealed bytes. */
public final class ConnectorJson {

    private ConnectorJson() {
    }

    public static ObjectNode of(Connector c) {
        ObjectNode node = Json.object();
        node.put("uuid", c.id());
        node.put("type", c.type());
        node.put("name", c.name());
        ObjectNode config = c.publicConfig().deepCopy();
        config.setAll(c.maskedConfig().deepCopy());
        node.set("config", config);
        node.set("events", Json.MAPPER.valueToTree(c.events()));
        node.set("filters", c.filters().source());
        if (c.transformation() != null) {
            node.put("transformation", c.transformation());
        } else {
            node.putNull("transformation");
        }
        node.put("status", c.status().id());
        if (c.statusReason() != null) {
            node.put("statusReason", c.statusReason());
        } else {
            node.putNull("statusReason");
        }
        node.put("version", c.version());
        node.put("createdAt", c.createdAt().toString());
        node.put("updatedAt", c.updatedAt().toString());
        return node;
    }

    public static ObjectNode page(Page<Connector> page) {
        ObjectNode node = Json.object();
        ArrayNode items = node.putArray("connectors");
        page.items().forEach(c -> items.add(of(c)));
        if (page.nextCursor() != null) {
            node.put("nextCursor", page.nextCursor());
        } else {
            node.putNull("nextCursor");
        }
        return node;
    }
}
