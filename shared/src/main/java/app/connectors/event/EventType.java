package app.connectors.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One type of event the host platform publishes.
 *
 * @param schema  JSON Schema of the event's {@code data}
 * @param example a complete envelope of this type, used by the test endpoint and the docs
 */
public record EventType(String name, String description, ObjectNode schema, ObjectNode example) {
}
