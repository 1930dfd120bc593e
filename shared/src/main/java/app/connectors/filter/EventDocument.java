package app.connectors.filter;

import app.connectors.event.Event;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON an event pattern is matched against: the envelope's {@code type}, {@code userId},
 * {@code subject}, {@code attributes} and {@code data}. Built once per event (it shares the
 * event's own {@code attributes} and {@code data} nodes, copying neither), then matched against
 * every subscriber's pattern.
 */
public final class EventDocument {

    private EventDocument() {
    }

    public static ObjectNode of(Event event) {
        ObjectNode doc = Json.object();
        doc.put("type", event.type());
        if (event.userId() != null) {
            doc.put("userId", event.userId());
        }
        ObjectNode subject = doc.putObject("subject");
        subject.put("title", event.subject().title());
        subject.put("url", event.subject().url());
        if (event.subject().status() != null) {
            subject.put("status", event.subject().status());
        }
        doc.set("attributes", event.attributes());
        doc.set("data", event.data());
        return doc;
    }
}
