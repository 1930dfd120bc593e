package app.connectors.oauth;

import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What "Connect to …" asks for: the new connector's name, events, filters and template, or the
 * connector to reconnect. The provider's answer supplies the config.
 *
 * <pre>{@code
 * ConnectRequest r = ConnectRequest.read(body);   // {"name": "Eng", "events": ["promise.status_changed"]}
 * }</pre>
 */
public record ConnectRequest(String name, JsonNode events, JsonNode filters, String template, String connectorId) {

    static final Set<String> FIELDS = Set.of("name", "events", "filters", "template", "connectorId");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public boolean reconnects() {
        return connectorId != null;
    }

    /** Reads a request body, reporting unknown and wrongly typed fields together. */
    public static ConnectRequest read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ValidationException.of("", "The request body must be a JSON object such as "
                    + "{\"name\": \"Engineering\", \"events\": [\"promise.status_changed\"]}.");
        }
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "unknown field '" + field + "'; allowed fields are " + String.join(", ", FIELDS.stream().sorted().toList())));
            }
        });
        String name = text(body, "name", errors);
        String template = text(body, "template", errors);
        String connectorId = text(body, "connectorId", errors);
        if (connectorId != null && !UUID.matcher(connectorId).matches()) {
            errors.add(new FieldError("connectorId", "connectorId must be the uuid of one of your connectors"));
        }
        if (connectorId != null && (template != null || body.hasNonNull("events") || body.hasNonNull("filters") || name != null)) {
            errors.add(new FieldError("connectorId", "to reconnect a connector, send only its connectorId; change its other"
                    + " settings with PATCH"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("The request body has invalid fields.", errors);
        }
        return new ConnectRequest(name, nullToMissing(body.get("events")), nullToMissing(body.get("filters")), template, connectorId);
    }

    String toJson() {
        ObjectNode node = Json.object();
        node.put("name", name);
        node.set("events", events);
        node.set("filters", filters);
        node.put("template", template);
        node.put("connectorId", connectorId);
        return Json.write(node);
    }

    static ConnectRequest fromJson(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return new ConnectRequest(textOrNull(node, "name"), nullToMissing(node.get("events")), nullToMissing(node.get("filters")),
                    textOrNull(node, "template"), textOrNull(node, "connectorId"));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored connect request is not JSON", e);
        }
    }

    private static String text(JsonNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, field + " must be a string"));
            return null;
        }
        return node.textValue();
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode nullToMissing(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
