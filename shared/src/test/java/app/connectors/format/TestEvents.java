package app.connectors.format;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;

/** Events for formatter tests, always built through the real parser so they are valid envelopes. */
final class TestEvents {

    static final String STATUS_CHANGED = "promise.status_changed";

    private TestEvents() {
    }

    /** A fresh, editable copy of the catalog's example envelope of {@code type}. */
    static ObjectNode envelope(String type) {
        return EventCatalog.standard().find(type).orElseThrow().example().deepCopy();
    }

    static Event example(String type) {
        return parse(envelope(type));
    }

    static Stream<Event> catalogExamples() {
        return EventCatalog.standard().all().stream().map(t -> parse(t.example().deepCopy()));
    }

    static Event parse(ObjectNode envelope) {
        try {
            return EventParser.standard().parse(Json.write(envelope));
        } catch (InvalidEventException e) {
            throw new AssertionError("test envelope is invalid: " + e.getMessage(), e);
        }
    }

    /** The status_changed example with its subject title replaced. */
    static Event withTitle(String title) {
        ObjectNode envelope = envelope(STATUS_CHANGED);
        ((ObjectNode) envelope.get("subject")).put("title", title);
        return parse(envelope);
    }

    /** The status_changed example with its summary (the description) replaced. */
    static Event withDescription(String description) {
        ObjectNode envelope = envelope(STATUS_CHANGED);
        ((ObjectNode) envelope.get("data")).put("summary", description);
        return parse(envelope);
    }

    /** The status_changed example with its status (and no previous status) replaced. */
    static Event withStatus(String status) {
        ObjectNode envelope = envelope(STATUS_CHANGED);
        ((ObjectNode) envelope.get("subject")).put("status", status);
        ((ObjectNode) envelope.get("data")).remove("previousStatus");
        return parse(envelope);
    }

    /**
     * An event whose only facts are its status and {@code count} attributes ({@code category} and
     * {@code attr01…}), each value {@code valueLength} characters long.
     */
    static Event withAttributes(int count, int valueLength) {
        ObjectNode envelope = envelope(STATUS_CHANGED);
        ObjectNode attributes = envelope.putObject("attributes");
        attributes.put("category", "tech-product");
        for (int i = 1; i < count; i++) {
            attributes.put(String.format("attr%02d", i), "v".repeat(valueLength));
        }
        envelope.putObject("data");
        return parse(envelope);
    }

    static String longText(int length) {
        // Words, not one run of a letter, so a cut in the middle of a word is also exercised.
        StringBuilder out = new StringBuilder(length + 16);
        while (out.length() < length) {
            out.append("lorem ipsum ");
        }
        out.setLength(length);
        return out.toString();
    }
}
