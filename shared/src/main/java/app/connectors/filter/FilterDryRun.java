package app.connectors.filter;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.EventType;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /filters/test}: whether a filter lets an event through, checked exactly as a save and
 * a fan-out would check it, storing and sending nothing.
 *
 * <p>The event is either given whole ({@code event}, an envelope as the host platform publishes it)
 * or named by type ({@code eventType}: the catalog's example of that type). The filter is validated
 * against the schemas of {@code events} (the connector's subscriptions, default: the event's type),
 * so a field the connector's events cannot have is the same 400 the save would give.
 *
 * <pre>{@code
 * FilterDryRun.Result r = dryRun.run(new FilterDryRun.Request(filter, null, "promise.status_changed", null));
 * r.verdict().matched();
 * }</pre>
 */
public final class FilterDryRun {

    private final EventCatalog catalog;
    private final EventParser parser;

    public FilterDryRun(EventCatalog catalog, EventParser parser) {
        this.catalog = catalog;
        this.parser = parser;
    }

    /**
     * @param filter    the pattern to try
     * @param event     an envelope to try it on, or null
     * @param eventType the type whose catalog example to try it on, or null
     * @param events    the connector's event types (or ["*"]), to validate the filter's fields against; null: the event's type
     */
    public record Request(JsonNode filter, JsonNode event, String eventType, JsonNode events) {
    }

    /** The verdict on the event that was tried, and that event's type. */
    public record Result(FilterVerdict verdict, String eventType) {
    }

    public Result run(Request request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.filter() == null || request.filter().isNull()) {
            errors.add(new FieldError("filter", "filter is required: an event pattern such as {\"data\": {\"status\": [\"kept\"]}}"));
        }
        Event event = event(request, errors);
        List<EventType> types = types(request.events(), event, errors);
        EventPattern pattern = null;
        if (request.filter() != null && !request.filter().isNull() && types != null) {
            pattern = EventPattern.compile(request.filter(), types, catalog, "filter", errors);
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors.size() == 1 ? errors.get(0).message()
                    : "The request has " + errors.size() + " problems; see errors.", errors);
        }
        return new Result(pattern.explain(EventDocument.of(event)), event.type());
    }

    private Event event(Request request, List<FieldError> errors) {
        if ((request.event() == null) == (request.eventType() == null)) {
            errors.add(new FieldError("event", "send either event (an envelope) or eventType (its catalog example is used), not "
                    + (request.event() == null ? "neither" : "both")));
            return null;
        }
        if (request.eventType() != null) {
            EventType type = catalog.find(request.eventType()).orElse(null);
            if (type == null) {
                errors.add(new FieldError("eventType", "'" + request.eventType() + "' is not an event type; GET /api/v1/event-types lists them"));
                return null;
            }
            return parse(type.example(), "eventType", errors);
        }
        return parse(request.event(), "event", errors);
    }

    private Event parse(JsonNode envelope, String field, List<FieldError> errors) {
        try {
            return parser.parse(Json.write(envelope));
        } catch (InvalidEventException e) {
            errors.add(new FieldError(field, "event is not an envelope the platform could publish: " + e.getMessage()));
            return null;
        }
    }

    private List<EventType> types(JsonNode events, Event event, List<FieldError> errors) {
        if (events == null || events.isNull()) {
            return event == null ? null : List.of(catalog.find(event.type()).orElseThrow());
        }
        if (!events.isArray() || events.isEmpty()) {
            errors.add(new FieldError("events", "events must be a non-empty list of event types, or [\"*\"]"));
            return null;
        }
        Set<EventType> out = new LinkedHashSet<>();
        for (int i = 0; i < events.size(); i++) {
            String name = events.get(i).asText();
            if (EventCatalog.WILDCARD.equals(name)) {
                out.addAll(catalog.all());
            } else if (events.get(i).isTextual() && catalog.find(name).isPresent()) {
                out.add(catalog.find(name).get());
            } else {
                errors.add(new FieldError("events[" + i + "]", "'" + name + "' is not an event type; use one listed by GET "
                        + "/api/v1/event-types, or \"*\""));
                return null;
            }
        }
        return List.copyOf(out);
    }
}
