package app.connectors.format;

import app.connectors.event.Event;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Flat JSON for Webhooks by Zapier: one level of keys, nested names joined by dots.
 *
 * <pre>{@code
 * {"event.id":"evt_01…","event.type":"promise.status_changed","event.occurredAt":"2026-11-20T14:03:00Z",
 *  "subject.title":"Ship offline mode…","subject.url":"https://…","subject.status":"kept",
 *  "attributes.category":"tech-product","attributes.company":"Acme Mobile",
 *  "data.promiseId":"4821","data.previousStatus":"in_progress", …}
 * }</pre>
 *
 * Why flat: Zapier turns nested arrays into "line items", which are awkward to map into most
 * actions, and shows nested objects as paths anyway. So:
 * <ul>
 *   <li>objects become dotted keys ({@code data.author.name});</li>
 *   <li>an array of scalars becomes one string joined with {@code ", "} ({@code data.tags: "a, b"}):
 *       one stable key a Zap can map however many items there are (Zapier's own display of a
 *       scalar list is that same joined text, and its Formatter step can split it again);</li>
 *   <li>an array holding objects or arrays is indexed ({@code data.items.0.name}), since joining
 *       would lose its structure and nesting would make line items;</li>
 *   <li>numbers, booleans and null keep their JSON type; an empty array is {@code ""}; an empty
 *       object has no key to show and is left out.</li>
 * </ul>
 */
public final class ZapierFormatter implements PayloadFormatter {

    static final String LIST_SEPARATOR = ", ";

    @Override
    public ObjectNode format(Event event) {
        ObjectNode flat = Json.object();
        flat.put("event.id", event.id());
        flat.put("event.type", event.type());
        flat.put("event.occurredAt", event.occurredAt().toString());
        if (event.userId() != null) {
            flat.put("event.userId", event.userId());
        }
        flat.put("subject.title", event.subject().title());
        flat.put("subject.url", event.subject().url());
        if (event.subject().status() != null) {
            flat.put("subject.status", event.subject().status());
        }
        flatten(flat, "attributes", event.attributes());
        flatten(flat, "data", event.data());
        return flat;
    }

    private static void flatten(ObjectNode out, String prefix, JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(out, prefix + "." + field.getKey(), field.getValue());
            }
        } else if (node.isArray()) {
            if (allScalars(node)) {
                out.put(prefix, joined(node));
            } else {
                for (int i = 0; i < node.size(); i++) {
                    flatten(out, prefix + "." + i, node.get(i));
                }
            }
        } else {
            out.set(prefix, node); // value nodes are immutable, so sharing them is safe
        }
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode item : array) {
            if (item.isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    private static String joined(JsonNode array) {
        StringBuilder out = new StringBuilder();
        for (JsonNode item : array) {
            if (!out.isEmpty()) {
                out.append(LIST_SEPARATOR);
            }
            out.append(item.isNull() ? "" : item.asText());
        }
        return out.toString();
    }
}
