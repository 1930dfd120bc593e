package app.connectors.format;

import app.connectors.event.Event;
import app.connectors.event.EventJson;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The envelope exactly as the host platform published it ({@link EventJson#write}), for any HTTP
 * endpoint; the sender adds the Standard Webhooks signature headers.
 *
 * <pre>{@code
 * {"id":"evt_01…","type":"promise.status_changed","occurredAt":"2026-11-20T14:03:00Z",
 *  "subject":{"title":"…","url":"https://…","status":"kept"},"attributes":{…},"data":{…}}
 * }</pre>
 */
public final class GenericFormatter implements PayloadFormatter {

    @Override
    public ObjectNode format(Event event) {
        return EventJson.write(event);
    }
}
