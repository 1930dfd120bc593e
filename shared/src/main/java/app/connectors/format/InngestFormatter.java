package app.connectors.format;

import app.connectors.event.Event;
import app.connectors.event.EventJson;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Inngest's event shape: {@code {"name", "data", "id", "ts"}}. The name is the event type, the data
 * the whole envelope, and the id the event id, which Inngest uses to drop duplicates (so a retried
 * delivery never triggers a function twice).
 */
public final class InngestFormatter implements PayloadFormatter {

    @Override
    public ObjectNode format(Event event) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.put("name", event.type());
        body.set("data", EventJson.write(event));
        body.put("id", event.id());
        body.put("ts", event.occurredAt().toEpochMilli());
        return body;
    }
}
