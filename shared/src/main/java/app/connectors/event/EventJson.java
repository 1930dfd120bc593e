package app.connectors.event;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes an {@link Event} back as its envelope JSON, the inverse of {@link EventParser}: what the
 * generic connector delivers and what tests compare against.
 *
 * <pre>{@code
 * ObjectNode envelope = EventJson.write(event);
 * byte[] body = Json.writeBytes(envelope);
 * }</pre>
 */
public final class EventJson {

    private EventJson() {
    }

    /**
     * The envelope: {@code id, type, occurredAt, subject{title,url,status?}, attributes, userId?, data}.
     * {@code attributes} and {@code data} are copies, so a caller (a transformation, say) that edits
     * the result cannot change the event other connectors of the same fan-out still format.
     */
    public static ObjectNode write(Event event) {
        ObjectNode root = Json.object();
        root.put("id", event.id());
        root.put("type", event.type());
        root.put("occurredAt", event.occurredAt().toString());
        ObjectNode subject = root.putObject("subject");
        subject.put("title", event.subject().title());
        subject.put("url", event.subject().url());
        if (event.subject().status() != null) {
            subject.put("status", event.subject().status());
        }
        root.set("attributes", event.attributes().deepCopy());
        if (event.userId() != null) {
            root.put("userId", event.userId());
        }
        root.set("data", event.data().deepCopy());
        return root;
    }
}
