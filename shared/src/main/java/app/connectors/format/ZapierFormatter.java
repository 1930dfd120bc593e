package app.connectors.format;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventType;
import app.connectors.event.FilterKey;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Flat JSON for Webhooks by Zapier: one level of keys whose set is fixed by the event type, so a
 * Zap's field mapping never breaks because one event had an empty list or an extra field, and
 * nothing the event carries is lost.
 *
 * <pre>{@code
 * {"event.id":"evt_01…","event.type":"promise.status_changed","event.occurredAt":"2026-11-20T14:03:00Z",
 *  "event.userId":null,"subject.title":"Ship offline mode…","subject.url":"https://…","subject.status":"kept",
 *  "attributes.category":"tech-product","attributes.company":"Acme Mobile",
 *  "data.promiseId":"4821","data.previousStatus":"in_progress", …,
 *  "extra.attributes":null,"extra.data":null}
 * }</pre>
 *
 * The rules (README's "Zapier payload" repeats them for users):
 * <ul>
 *   <li>Always present: {@code event.id}, {@code event.type}, {@code event.occurredAt},
 *       {@code event.userId}, {@code subject.title}, {@code subject.url}, {@code subject.status},
 *       one {@code attributes.<name>} per attribute the catalog's filters name, one
 *       {@code data.<path>} per property the type's schema declares, {@code extra.attributes} and
 *       {@code extra.data}. A value the event does not carry is {@code null}.</li>
 *   <li>A declared object with declared properties becomes dotted keys ({@code data.author.name});
 *       any other object, and every array, is one key holding its JSON text
 *       ({@code data.tags: "[\"a\",\"b\"]"}), whatever its length: Zapier would turn a nested
 *       array into line items, and indexed keys would change with the data.</li>
 *   <li>Scalars keep their JSON type (string, number, boolean).</li>
 *   <li>What the schema and the catalog do not declare goes, unchanged, into {@code extra.data}
 *       and {@code extra.attributes} as JSON text (an object), so nothing is lost.</li>
 *   <li>In a key, a property name's {@code ~} is written {@code ~0} and its {@code .} is written
 *       {@code ~1} (as JSON Pointer escapes {@code /}), so {@code {"a.b": 1}} and
 *       {@code {"a": {"b": 1}}} can never land on the same key.</li>
 * </ul>
 */
public final class ZapierFormatter implements PayloadFormatter {

    private final EventCatalog catalog;

    public ZapierFormatter() {
        this(EventCatalog.standard());
    }

    ZapierFormatter(EventCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public ObjectNode format(Event event) {
        ObjectNode flat = Json.object();
        flat.put("event.id", event.id());
        flat.put("event.type", event.type());
        flat.put("event.occurredAt", event.occurredAt().toString());
        flat.put("event.userId", event.userId());
        flat.put("subject.title", event.subject().title());
        flat.put("subject.url", event.subject().url());
        flat.put("subject.status", event.subject().status());

        Set<String> declaredAttributes = declaredAttributes();
        for (String name : declaredAttributes) {
            JsonNode value = event.attributes().get(name);
            flat.set("attributes." + escape(name), value == null ? Json.MAPPER.nullNode() : value);
        }
        ObjectNode extraAttributes = Json.object();
        for (Map.Entry<String, JsonNode> attribute : event.attributes().properties()) {
            if (!declaredAttributes.contains(attribute.getKey())) {
                extraAttributes.set(attribute.getKey(), attribute.getValue());
            }
        }

        JsonNode schema = catalog.find(event.type()).map(EventType::schema).orElse(Json.object());
        ObjectNode extraData = Json.object();
        declaredObject(flat, "data", schema, event.data(), extraData);

        flat.put("extra.attributes", extraAttributes.isEmpty() ? null : Json.write(extraAttributes));
        flat.put("extra.data", extraData.isEmpty() ? null : Json.write(extraData));
        return flat;
    }

    /** Escapes a property name for use inside a dotted key: {@code ~} → {@code ~0}, {@code .} → {@code ~1}. */
    static String escape(String name) {
        return name.indexOf('~') < 0 && name.indexOf('.') < 0 ? name : name.replace("~", "~0").replace(".", "~1");
    }

    /** Attribute names the catalog's filters read: the attributes every event of the product may carry. */
    private Set<String> declaredAttributes() {
        Set<String> names = new LinkedHashSet<>();
        for (FilterKey filter : catalog.filters()) {
            if (!filter.fromSubject()) {
                names.add(filter.attribute());
            }
        }
        return names;
    }

    /**
     * Writes one key per property {@code schema} declares (recursing into declared objects) with the
     * value found in {@code value} or null, and copies into {@code extra} what {@code value} holds
     * beyond the declared properties.
     */
    private static void declaredObject(ObjectNode out, String prefix, JsonNode schema, JsonNode value, ObjectNode extra) {
        JsonNode properties = schema.path("properties");
        boolean isObject = value != null && value.isObject();
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            String name = property.getKey();
            JsonNode childSchema = property.getValue();
            JsonNode child = isObject ? value.get(name) : null;
            String key = prefix + "." + escape(name);
            if (hasDeclaredProperties(childSchema) && (child == null || child.isNull() || child.isObject())) {
                ObjectNode childExtra = Json.object();
                declaredObject(out, key, childSchema, child, childExtra);
                if (!childExtra.isEmpty()) {
                    extra.set(name, childExtra);
                }
            } else if (hasDeclaredProperties(childSchema)) {
                // Not the declared object: its keys are null and the value itself is kept in extra.
                declaredObject(out, key, childSchema, null, Json.object());
                extra.set(name, child);
            } else if (child == null || child.isNull()) {
                out.putNull(key);
            } else if (fits(childSchema, child)) {
                out.set(key, child.isContainerNode() ? Json.MAPPER.getNodeFactory().textNode(Json.write(child)) : child);
            } else {
                // Not the declared shape (a list where text is declared, say): kept whole in extra, so the
                // key's meaning never depends on the data.
                out.putNull(key);
                extra.set(name, child);
            }
        }
        if (isObject) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                if (!properties.has(field.getKey())) {
                    extra.set(field.getKey(), field.getValue());
                }
            }
        }
    }

    private static boolean hasDeclaredProperties(JsonNode schema) {
        return schema.path("properties").isObject() && !schema.path("properties").isEmpty();
    }

    /** Whether a value has the declared shape: a list for an array, an object for an object, else a scalar. */
    private static boolean fits(JsonNode schema, JsonNode value) {
        return switch (schema.path("type").asText("")) {
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> value.isValueNode();
        };
    }
}
