package app.connectors.format;

import app.connectors.event.Event;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the chat formatters (Slack, Discord, Teams) show of an event, worked out once so that the
 * three say the same thing: a heading from the type, the subject, a status line ("In progress →
 * Kept" when the data carries the previous status), a description from the data, and labelled facts.
 * All text is raw; each formatter escapes and truncates for its platform.
 *
 * @param heading     the event type made readable ("Promise status changed")
 * @param noun        what the subject is ("promise"), for the button label
 * @param statusLine  null when the subject has no status
 * @param description null when the data has none of {@link #DESCRIPTION_KEYS}
 * @param facts       status, category, other attributes, then the data's other scalar fields
 */
record EventView(
        String heading,
        String noun,
        String title,
        String url,
        Status status,
        String statusLine,
        String category,
        String description,
        Instant occurredAt,
        List<Fact> facts) {

    /** Data fields read as the description, in order of preference. */
    static final List<String> DESCRIPTION_KEYS = List.of("summary", "description", "quote", "excerpt");

    /** A labelled value; the label is already human-readable. */
    record Fact(String label, String value) {
    }

    static EventView of(Event event) {
        String statusKey = event.subject().status();
        String previous = event.data().path("previousStatus").textValue();
        String statusLine = null;
        if (statusKey != null) {
            statusLine = previous != null && !previous.equals(statusKey)
                    ? Status.label(previous) + " → " + Status.label(statusKey)
                    : Status.label(statusKey);
        }
        String category = event.attribute("category");

        String descriptionKey = null;
        String description = null;
        for (String key : DESCRIPTION_KEYS) {
            JsonNode node = event.data().get(key);
            if (node != null && node.isTextual() && !node.textValue().isBlank()) {
                descriptionKey = key;
                description = node.textValue();
                break;
            }
        }

        List<Fact> facts = new ArrayList<>(event.attributes().size() + event.data().size() + 1);
        if (statusLine != null) {
            facts.add(new Fact("Status", statusLine));
        }
        if (category != null) {
            facts.add(new Fact("Category", category));
        }
        for (Map.Entry<String, JsonNode> attribute : event.attributes().properties()) {
            JsonNode value = attribute.getValue();
            if (!"category".equals(attribute.getKey()) && !value.isNull()) {
                facts.add(new Fact(Labels.humanize(attribute.getKey()), value.asText()));
            }
        }
        for (Map.Entry<String, JsonNode> field : event.data().properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (shownInData(key, descriptionKey, value) && !repeatsAttribute(event, value)) {
                facts.add(new Fact(Labels.humanize(key), value.asText()));
            }
        }
        String type = event.type();
        int dot = type.indexOf('.');
        return new EventView(
                Labels.humanize(type),
                dot > 0 ? type.substring(0, dot).replace('_', ' ') : "details",
                event.subject().title(),
                event.subject().url(),
                Status.of(statusKey),
                statusLine,
                category,
                description,
                event.occurredAt(),
                facts);
    }

    /**
     * Scalar data fields are facts, except what is shown elsewhere: the statuses (the status line),
     * the description, and internal ids ({@code promiseId}) that mean nothing to a reader.
     */
    private static boolean shownInData(String key, String descriptionKey, JsonNode value) {
        return value.isValueNode() && !value.isNull()
                && !key.equals(descriptionKey)
                && !key.equals("status") && !key.equals("previousStatus")
                && !key.equals("id") && !key.endsWith("Id");
    }

    /** {@code data.promiser} usually repeats {@code attributes.company}; one line is enough. */
    private static boolean repeatsAttribute(Event event, JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        for (JsonNode attribute : event.attributes()) {
            if (value.textValue().equals(attribute.textValue())) {
                return true;
            }
        }
        return false;
    }
}
