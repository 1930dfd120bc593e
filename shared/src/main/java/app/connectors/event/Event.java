package app.connectors.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The envelope the host platform publishes on EventsQueue:
 * {@code {"id","type","occurredAt","subject":{title,url,status?},"attributes":{category,…},"userId"?,"data":{…}}}.
 * Instances are only built by {@link EventParser}, which validates them, so every field but
 * {@code userId} and {@code subject.status} is present.
 *
 * <pre>{@code
 * Event event = EventParser.standard().parse(messageBody);
 * String category = event.attribute("category");
 * }</pre>
 *
 * @param attributes flat string-valued facts that filters match ({@code category}, …)
 * @param data       the type-specific body, as the event catalog's schema describes it
 * @param envelope   the envelope's JSON text exactly as it was accepted (surrounding whitespace
 *                   dropped): what the service keeps and carries, never a copy written again, so
 *                   that the size checked at acceptance is the size of every later copy (Jackson
 *                   writes {@code 1e6} back as {@code 1000000.0}: three times the bytes)
 */
public record Event(
        String id,
        String type,
        Instant occurredAt,
        Subject subject,
        ObjectNode attributes,
        String userId,
        ObjectNode data,
        String envelope) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(envelope, "envelope");
    }

    /** Without the envelope's text, which can be 240 KiB. */
    @Override
    public String toString() {
        return "Event[id=" + id + ", type=" + type + ", occurredAt=" + occurredAt + ", envelope=" + envelope.length() + " chars]";
    }

    /** The attribute's text, or null when absent. */
    public String attribute(String name) {
        var node = attributes.get(name);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** What the event is about: a title, a link, and (for status events) its status. */
    public record Subject(String title, String url, String status) {
        public Subject {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(url, "url");
        }
    }
}
