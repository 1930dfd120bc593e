package app.connectors.delivery;

import app.connectors.event.Event;
import app.connectors.event.EventJson;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The rest of a fan-out the dispatcher had no time left for: the event and where it stopped. It
 * goes back on EventsQueue, so the fan-out goes on in a fresh invocation; its body is told apart
 * from an event envelope by its {@value #FIELD} field.
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
        node.set("event", EventJson.write(event));
        return Json.write(node);
    }

    /** Whether a message body is a continuation (else it is an event envelope). */
    public static boolean isContinuation(JsonNode body) {
        return body != null && body.path(FIELD).isObject();
    }

    public static FanOutContinuation from(JsonNode body) throws InvalidEventException {
        JsonNode position = body.path(FIELD);
        Event event = EventParser.standard().parse(Json.write(body.path("event")));
        return new FanOutContinuation(event, new FanOut.Position(position.path("wildcard").asBoolean(),
                position.hasNonNull("after") ? position.get("after").asText() : null));
    }
}
