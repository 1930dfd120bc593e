package app.connectors.functions.api;

import app.connectors.connector.Connector;
import app.connectors.connector.Page;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * The API's representation of a connector: config with secrets masked, never the sealed bytes.
 * The config to show comes from {@code ConnectorService.shownConfig}, which masks the decrypted secrets.
 */
public final class ConnectorJson {

    private ConnectorJson() {
    }

    public static ObjectNode of(Connector c, ObjectNode shownConfig) {
        ObjectNode node = Json.object();
        node.put("uuid", c.id());
        node.put("type", c.type());
        node.put("name", c.name());
        node.set("config", shownConfig);
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

    public static ObjectNode page(Page<Connector> page, Function<Connector, ObjectNode> shownConfig) {
        ObjectNode node = Json.object();
        ArrayNode items = node.putArray("connectors");
        page.items().forEach(c -> items.add(of(c, shownConfig.apply(c))));
        if (page.nextCursor() != null) {
            node.put("nextCursor", page.nextCursor());
        } else {
            node.putNull("nextCursor");
        }
        return node;
    }
}
