package app.connectors.transform;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.EventType;
import app.connectors.event.InvalidEventException;
import app.connectors.format.Formatters;
import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /transformations/test}: runs transformation code on a payload without sending
 * anything, in the same sandbox and limits as deliveries.
 *
 * <p>Two forms: {@code {code, eventType, payload}} runs the code on the given payload (without
 * {@code payload}: on the type's catalog example, as a generic connector receives it); {@code
 * {connectorType, eventType?, code?}} runs the code (default: the type's own default
 * transformation) on the catalog's example event, formatted as that type formats it (the event's
 * {@code data} for API types, the chat payload for Slack, Discord, Teams).
 */
public final class DryRun {

    private static final String PLACEHOLDER_URL = "https://example.com/webhook";

    private final TransformationEngine engine;
    private final ConnectorTypeCatalog types;
    private final EventCatalog events;

    public DryRun(TransformationEngine engine, ConnectorTypeCatalog types, EventCatalog events) {
        this.engine = engine;
        this.types = types;
        this.events = events;
    }

    /** The request, already read from JSON; {@code method} and {@code url} are optional starting values. */
    public record Request(String code, String eventType, JsonNode payload, String connectorType, String method, String url) {
    }

    public TransformOutcome run(Request request) {
        List<FieldError> errors = new ArrayList<>();
        ConnectorType type = null;
        if (request.connectorType() != null) {
            type = types.find(request.connectorType()).orElse(null);
            if (type == null) {
                errors.add(new FieldError("connectorType", "unknown connector type; use one of " + String.join(", ", types.names())));
            }
        }
        String code = request.code();
        if (code == null && type != null) {
            code = type.defaultTransformation();
            if (code == null) {
                errors.add(new FieldError("code", type.name() + " has no default transformation; send code"));
            }
        } else if (code == null) {
            errors.add(new FieldError("code", "code is required: JavaScript defining function handler(webhook)"));
        }
        String eventType = request.eventType();
        if (eventType == null && type == null) {
            errors.add(new FieldError("eventType", "eventType is required"));
        }
        EventType exampleType = null;
        if (type != null) {
            String wanted = eventType != null ? eventType : events.all().iterator().next().name();
            exampleType = events.find(wanted).orElse(null);
            if (exampleType == null) {
                errors.add(new FieldError("eventType", "'" + wanted + "' is not an event type; GET /api/v1/event-types lists them"));
            }
            if (request.payload() != null) {
                errors.add(new FieldError("payload", "send either connectorType (its example event is used) or a payload, not both"));
            }
        } else if (request.payload() == null && eventType != null) {
            // Only an event type: its catalog example, as a generic connector receives it (the envelope).
            exampleType = events.find(eventType).orElse(null);
            if (exampleType == null) {
                errors.add(new FieldError("eventType", "'" + eventType + "' is not an event type; GET /api/v1/event-types lists them"));
            }
        } else if (request.payload() == null || !(request.payload().isObject() || request.payload().isArray())) {
            errors.add(new FieldError("payload", "payload must be the JSON object the handler receives as webhook.payload"
                    + " (or leave it out to use the event type's example)"));
        }
        String method = request.method() == null ? "POST" : request.method().toUpperCase(java.util.Locale.ROOT);
        if (!Webhook.METHODS.contains(method)) {
            errors.add(new FieldError("method", "method must be POST, PUT or PATCH"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("The dry run request is invalid.", errors);
        }
        JsonNode payload;
        String url = request.url();
        if (type != null) {
            Event example = parse(exampleType);
            payload = Formatters.forType(type).format(example);
            eventType = example.type();
            if (url == null) {
                // As deliveries show it (RequestFactory.shownEndpoint): {field} placeholders percent-encoded.
                url = type.endpoint() != null ? type.endpoint().replace("{", "%7B").replace("}", "%7D") : PLACEHOLDER_URL;
            }
        } else if (request.payload() == null) {
            payload = Formatters.find(Formatters.GENERIC).orElseThrow().format(parse(exampleType));
        } else {
            payload = request.payload().deepCopy();
        }
        // The engine refuses what a delivery could not send (Webhook.sendProblem), for both alike.
        return engine.run(code, new Webhook(method, url == null ? PLACEHOLDER_URL : url, eventType, payload, Map.of(), false));
    }

    private static Event parse(EventType type) {
        try {
            return EventParser.standard().parse(Json.write(type.example()));
        } catch (InvalidEventException e) {
            throw new IllegalStateException("catalog example of " + type.name() + " is invalid: " + e.getMessage(), e);
        }
    }
}
