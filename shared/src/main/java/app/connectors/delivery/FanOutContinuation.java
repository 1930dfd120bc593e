package app.connectors.delivery;

import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The rest of a fan-out the dispatcher had no time left for: the event and where it stopped. It
 * goes back on EventsQueue, so the fan-out goes on in a fresh invocation; its body is told apart
 * from an event envelope by its {@value #FIELD} field. The body names the event, which the event
 * store keeps ({@link EventsQueue#continueLater} keeps it first): a small message whatever the
 * event's size, never the event inline next to the position.
 *
 * <pre>{@code
 * String body = new FanOutContinuation(event, result.continueFrom()).toJson();
 * }</pre>
 */
public record FanOutContinuation(Event event, FanOut.Position from) {

    static final String FIELD = "fanOutContinuation";

    public String toJson() {
        ObjectNode node = Json.object();
        ObjectNode position = node.putObject(FIELD);
        position.put("wildcard", from.wildcard());
        position.put("after", from.afterSubscriber());
        node.put("eventId", event.id());
        return Json.write(node);
    }

    /** Whether a message body is a continuation (else it is an event envelope). */
    /** False for a body that cannot be a continuation (it never names the field): no need to parse it as a tree. */
    public static boolean mayBe(String body) {
        return body != null && body.contains("\"" + FIELD + "\"");
    }

    public static boolean isContinuation(JsonNode body) {
        return body != null && body.path(FIELD).isObject();
    }

    /**
     * Reads a continuation, its event from the event store. A continuation queued before they named
     * their event carries it inline, and is read as it is.
     */
    public static FanOutContinuation from(JsonNode body, EventStore events) throws InvalidEventException {
        JsonNode position = body.path(FIELD);
        Event event;
        if (body.path("event").isObject()) {
            event = EventParser.standard().readKept(Json.write(body.get("event")));
        } else {
            String eventId = body.path("eventId").asText("");
            if (eventId.isEmpty()) {
                throw new InvalidEventException("fan-out continuation lacks eventId");
            }
            event = events.find(eventId).orElseThrow(() -> new InvalidEventException(
                    "fan-out continuation's event " + eventId + " is no longer kept"));
        }
        return new FanOutContinuation(event, new FanOut.Position(position.path("wildcard").asBoolean(),
                position.hasNonNull("after") ? position.get("after").asText() : null));
    }
}
