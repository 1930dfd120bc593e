package app.connectors.connector;

import app.connectors.problem.FieldError;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A create, replace or update request body, read field by field so that each problem names its
 * field. Absent fields are null; {@link #transformationPresent} tells an explicit
 * {@code "transformation": null} (remove it) from an absent one (keep it).
 */
public record ConnectorInput(
        String type,
        String name,
        ObjectNode config,
        JsonNode events,
        JsonNode filters,
        String transformation,
        boolean transformationPresent,
        Boolean enabled,
        Long version,
        String template) {

    static final Set<String> FIELDS = Set.of("type", "name", "config", "events", "filters", "transformation", "enabled", "version",
            "template");

    /** Reads a request body; unknown fields and wrongly typed fields are reported together. */
    public static ConnectorInput read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ValidationException.of("", "The request body must be a JSON object.");
        }
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "unknown field '" + field + "'; allowed fields are "
                        + "type, name, config, events, filters, transformation, enabled, version, template"));
            }
        }
        String type = text(body, "type", errors);
        String name = text(body, "name", errors);
        ObjectNode config = null;
        JsonNode configNode = body.get("config");
        if (configNode != null && !configNode.isNull()) {
            if (configNode.isObject()) {
                config = (ObjectNode) configNode;
            } else {
                errors.add(new FieldError("config", "config must be an object of the type's fields"));
            }
        }
        String transformation = text(body, "transformation", errors);
        String template = text(body, "template", errors);
        Boolean enabled = null;
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isNull()) {
            if (enabledNode.isBoolean()) {
                enabled = enabledNode.booleanValue();
            } else {
                errors.add(new FieldError("enabled", "enabled must be true or false"));
            }
        }
        Long version = null;
        JsonNode versionNode = body.get("version");
        if (versionNode != null && !versionNode.isNull()) {
            if (versionNode.canConvertToLong() && versionNode.isIntegralNumber()) {
                version = versionNode.longValue();
            } else {
                errors.add(new FieldError("version", "version must be the integer the connector was read with"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("The request body has invalid fields.", errors);
        }
        return new ConnectorInput(type, name, config, nullToMissing(body.get("events")), nullToMissing(body.get("filters")),
                transformation, body.has("transformation"), enabled, version, template);
    }

    /**
     * This input with the template's type, event types and transformation filled in where the body
     * left them out. A type that contradicts the template's is an error.
     */
    public ConnectorInput withTemplate(app.connectors.template.ConnectorTemplate t) {
        if (type != null && !type.equals(t.type())) {
            throw ValidationException.of("type", "template '" + t.id() + "' is for " + t.type() + " connectors; leave type out or use "
                    + t.type());
        }
        JsonNode templateEvents = events != null ? events : app.connectors.json.Json.MAPPER.valueToTree(t.eventTypes());
        if (transformationPresent) {
            return new ConnectorInput(t.type(), name, config, templateEvents, filters, transformation, true, enabled, version, null);
        }
        // A template without code leaves the choice to the type: its default transformation applies.
        return new ConnectorInput(t.type(), name, config, templateEvents, filters, t.transformation(),
                t.transformation() != null, enabled, version, null);
    }

    private static JsonNode nullToMissing(JsonNode node) {
        return node == null || node.isNull() ? null : node;
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
}
