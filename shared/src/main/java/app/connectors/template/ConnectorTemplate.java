package app.connectors.template;

import java.time.Instant;
import java.util.List;

/**
 * An operator-defined starting point for connectors: a type, a name and description to show users,
 * the event types it is written for, and a transformation that handles them. Users create connectors
 * from it and then change the code and the event types as they like.
 */
public record ConnectorTemplate(String id, String type, String name, String description, List<String> eventTypes,
                                String transformation, Instant createdAt, Instant updatedAt) {

    public ConnectorTemplate {
        eventTypes = List.copyOf(eventTypes);
    }
}
