package app.connectors.functions.api;

import app.connectors.filter.FilterDryRun;
import app.connectors.json.Json;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** The JSON of {@code POST /api/v1/filters/test}: the request read strictly, the verdict as a UI shows it. */
public final class FilterJson {

    private static final Set<String> FIELDS = Set.of("filter", "event", "eventType", "events");

    private FilterJson() {
    }

    public static FilterDryRun.Request request(JsonNode body) {
        if (!body.isObject()) {
            throw ValidationException.of("", "The request body must be a JSON object: {filter, event} or {filter, eventType}.");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw ValidationException.of(field, "unknown field '" + field + "'; allowed: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        });
        JsonNode eventType = body.get("eventType");
        if (eventType != null && !eventType.isNull() && !eventType.isTextual()) {
            throw ValidationException.of("eventType", "eventType must be a string");
        }
        return new FilterDryRun.Request(present(body.get("filter")), present(body.get("event")),
                eventType == null || eventType.isNull() ? null : eventType.textValue(), present(body.get("events")));
    }

    /**
     * {@code {"matched", "eventType", "failure": {"path", "reason"} | null, "matchedAlternative"}}: when
     * the event is refused, {@code failure.path} is the first place in the filter that failed.
     */
    public static ObjectNode view(FilterDryRun.Result result) {
        ObjectNode out = Json.object();
        out.put("matched", result.verdict().matched());
        out.put("eventType", result.eventType());
        if (result.verdict().matched()) {
            out.putNull("failure");
        } else {
            out.putObject("failure").put("path", result.verdict().path()).put("reason", result.verdict().reason());
        }
        if (result.verdict().alternative() != null) {
            out.put("matchedAlternative", result.verdict().alternative());
        } else {
            out.putNull("matchedAlternative");
        }
        return out;
    }

    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
