package app.connectors.event;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The event types the host platform publishes and the filter keys connectors may use, read once
 * from {@code /catalog/event-types.json}. Connectors subscribe to names listed here or to
 * {@link #WILDCARD}.
 */
public final class EventCatalog {

    /** Subscribes a connector to every event type. */
    public static final String WILDCARD = "*";

    private static final EventCatalog STANDARD = load(Json.resource("/catalog/event-types.json"));

    private final Map<String, EventType> types;
    private final Map<String, FilterKey> filters;

    private EventCatalog(Map<String, EventType> types, Map<String, FilterKey> filters) {
        this.types = types;
        this.filters = filters;
    }

    public static EventCatalog standard() {
        return STANDARD;
    }

    public Optional<EventType> find(String name) {
        return Optional.ofNullable(name == null ? null : types.get(name));
    }

    public boolean isSubscribable(String name) {
        return WILDCARD.equals(name) || types.containsKey(name);
    }

    public Collection<EventType> all() {
        return types.values();
    }

    public Optional<FilterKey> filter(String name) {
        return Optional.ofNullable(filters.get(name));
    }

    public Collection<FilterKey> filters() {
        return filters.values();
    }

    static EventCatalog load(JsonNode root) {
        Map<String, EventType> types = new LinkedHashMap<>();
        for (JsonNode t : root.path("types")) {
            types.put(t.path("name").asText(), new EventType(
                    t.path("name").asText(),
                    t.path("description").asText(),
                    (ObjectNode) t.path("schema"),
                    (ObjectNode) t.path("example")));
        }
        Map<String, FilterKey> filters = new LinkedHashMap<>();
        for (JsonNode f : root.path("filters")) {
            filters.put(f.path("name").asText(), new FilterKey(
                    f.path("name").asText(),
                    f.path("attribute").asText(),
                    "subject".equals(f.path("source").asText()),
                    f.path("description").asText()));
        }
        return new EventCatalog(java.util.Collections.unmodifiableMap(types), java.util.Collections.unmodifiableMap(filters));
    }
}
