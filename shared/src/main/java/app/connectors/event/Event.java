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
 */
public record Event(
        String id,
        String type,
        Instant occurredAt,
        Subject subject,
        ObjectNode attributes,
        String userId,
        ObjectNode data) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(data, "data");
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
