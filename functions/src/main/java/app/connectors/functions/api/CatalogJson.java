package app.connectors.functions.api;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.catalog.FieldSpec;
import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The catalogs as the API shows them. Built once: they are constant for the life of the process. */
public final class CatalogJson {

    private CatalogJson() {
    }

    public static ObjectNode connectorTypes(ConnectorTypeCatalog catalog) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("types");
        for (ConnectorType type : catalog.all()) {
            ObjectNode node = list.addObject();
            node.put("name", type.name());
            node.put("displayName", type.displayName());
            node.put("description", type.description());
            ArrayNode required = node.putArray("requiredFields");
            ArrayNode optional = node.putArray("optionalFields");
            ArrayNode fields = node.putArray("fields");
            for (FieldSpec field : type.fields()) {
                (field.required() ? required : optional).add(field.name());
                ObjectNode f = fields.addObject();
                f.put("name", field.name());
                f.put("kind", field.kind());
                f.put("required", field.required());
                f.put("secret", field.secret());
                f.put("description", field.description());
                if (!field.values().isEmpty()) {
                    f.set("values", Json.MAPPER.valueToTree(field.values()));
                }
                if (!field.hosts().isEmpty()) {
                    f.set("hosts", Json.MAPPER.valueToTree(field.hosts()));
                }
                if (field.example() != null) {
                    f.set("example", field.example());
                }
            }
            node.set("setupSteps", Json.MAPPER.valueToTree(type.setupSteps()));
        }
        return root;
    }

    public static ObjectNode eventTypes(EventCatalog catalog) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("eventTypes");
        catalog.all().forEach(t -> list.addObject()
                .put("name", t.name())
                .put("description", t.description())
                .<ObjectNode>set("schema", t.schema())
                .set("example", t.example()));
        ArrayNode filters = root.putArray("filters");
        catalog.filters().forEach(f -> filters.addObject().put("name", f.name()).put("description", f.description()));
        root.put("wildcard", EventCatalog.WILDCARD);
        return root;
    }
}
